import { useRef, useState, type DragEvent } from 'react';

/** Drop files here, or pick them with the button (keyboard and screen readers). */
export function DropZone({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent): boolean => [...e.dataTransfer.types].includes('Files');
  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      data-testid="dropzone"
      onDragEnter={(e) => {
        if (!hasFiles(e) || disabled) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e) || disabled) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        if (disabled) return;
        e.preventDefault();
        setOver(false);
        const files = [...e.dataTransfer.files];
        if (files.length) onFiles(files);
      }}
    >
      <p>
        <strong>Drop clips, songs and stills here</strong>
        <br />
        <span className="muted">Video, audio or images. Each file is checked when it arrives.</span>
      </p>
      <button type="button" onClick={() => input.current?.click()} disabled={disabled}>
        Choose files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        accept="video/*,audio/*,image/*"
        aria-label="Files to upload"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
    </div>
  );
}
