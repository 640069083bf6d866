// Our komposition editor: settings, the beat grid with the library beside it, the
// selected segment, the sources; saving with revisions and starting a render.
import { useEffect, useMemo, useState } from 'react';
import { can } from '../../api/auth';
import type { Komposition, Medium } from '../../api/types';
import { Link, navigate, paths } from '../../app/router';
import { useUser } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useAnalysis } from '../../components/useAnalysis';
import { editorStore, isDirty } from '../../editor/editorStore';
import { canRedo, canUndo } from '../../editor/history';
import { usePlayback } from '../../editor/usePlayback';
import { addClipSegment, deleteSegment, mediaNameOf, nudgeSegment, setName, setSoundtrack, soundtrack } from '../../komposition/model';
import { replaceClip } from '../../komposition/replaceClip';
import { checkWindows, clipLengths, renderBlocker, type WindowCheck } from '../../komposition/windows';
import { appStore, asApiError } from '../../store/appStore';
import { useStore } from '../../store/store';
import { clampZoom, type GridView } from '../../timeline/grid';
import { beats } from '../../timeline/units';
import { ConflictBanner } from './ConflictBanner';
import { EditorTabs } from './EditorTabs';
import { AssistantPanel } from './AssistantPanel';
import { Inspector } from './Inspector';
import { LibraryPanel } from './LibraryPanel';
import { PreviewMonitor } from './PreviewMonitor';
import { SettingsBar } from './SettingsBar';
import { SourcesPanel } from './SourcesPanel';
import { Timeline, type Lane } from './Timeline';
import { Toolbar } from './Toolbar';
import { useEditorKeys } from './useEditorKeys';
import { useNotice } from './useNotice';
import './editor.css';

/** Index of the segment a server error names (`segments[3].end` → 3). */
function segmentIndexOf(field: string | undefined): number | null {
  const m = field ? /^segments\[(\d+)\]/.exec(field) : null;
  return m ? Number(m[1]) : null;
}

function NameField({ k, editable }: { k: Komposition; editable: boolean }) {
  const [text, setText] = useState(k.name ?? k._id);
  useEffect(() => setText(k.name ?? k._id), [k.name, k._id]);
  const commit = (): void => {
    if (text.trim() && text !== k.name) editorStore.actions.edit((d) => setName(d, text.trim()));
  };
  return (
    <input
      className="title-input"
      aria-label="Komposition name"
      value={text}
      readOnly={!editable}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

export function EditorScreen({ id }: { id: string }) {
  const user = useUser();
  const editable = can(user, 'edit');
  const renderable = can(user, 'render');
  const state = useStore(editorStore, (s) => s);
  const media = useStore(appStore, (s) => s.media.data);
  const [view, setView] = useState<GridView>({ pxPerBeat: 28, originBeat: beats(0) });
  const [notice, setNotice] = useNotice(() => {
    const s = editorStore.get();
    return [s.history?.present, s.selection];
  });
  const [rendering, setRendering] = useState(false);
  const [renderError, setRenderError] = useState<{ message: string; field: string | undefined } | null>(null);
  const k = state.history?.present ?? null;
  const playback = usePlayback(k);
  const { actions } = editorStore;
  const track = k ? soundtrack(k) : undefined;
  const trackAnalysis = useAnalysis(track ? mediaNameOf(track) : null);
  // The library knows each clip's length: windows past a clip's end are shown while editing.
  const lengths = useMemo(() => clipLengths(media), [media]);
  const checks = useMemo(() => (k ? checkWindows(k, lengths) : new Map<string, WindowCheck>()), [k, lengths]);
  // A problem found when render was asked for is stale once the draft changes.
  useEffect(() => setRenderError(null), [k]);

  useEffect(() => {
    if (editorStore.get().id !== id || editorStore.get().status === 'failed') void actions.load(id);
    void appStore.actions.loadMedia();
  }, [id, actions]);

  const dirty = isDirty(state);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent): void => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const saveError = state.save.kind === 'error' ? state.save : null;
  useEffect(() => {
    const index = segmentIndexOf(saveError?.field ?? renderError?.field);
    const seg = index !== null && k ? k.segments[index] : undefined;
    if (seg) actions.select(seg.id);
  }, [saveError, renderError]);

  const zoom = (factor: number): void => setView((v) => ({ ...v, pxPerBeat: clampZoom(v.pxPerBeat * factor) }));

  /** A medium dropped (or added at the playhead); onto a segment, it replaces that segment's clip. */
  const addMedium = (medium: Medium, beat: number, lane: Lane, onSegment: string | null = null): void => {
    setNotice(null);
    const audio = medium.mediatype.toLowerCase() === 'audio';
    if (audio) {
      actions.edit((d) => setSoundtrack(d, medium));
      setNotice(`${medium.name} is the soundtrack.`);
      return;
    }
    if (lane === 'sound') {
      setNotice('Only a song can go in the sound lane; drop clips and stills on the picture lane.');
      return;
    }
    const current = editorStore.get().history?.present;
    if (!current) return;
    if (onSegment) {
      actions.edit((d) => replaceClip(d, onSegment, medium));
      actions.select(onSegment);
      setNotice(`${onSegment} now shows ${medium.name}.`);
      return;
    }
    const dropped = addClipSegment(current, medium, beat);
    if (!dropped) {
      setNotice('There is no room there.');
      return;
    }
    actions.edit(() => dropped.k);
    actions.select(dropped.segmentId);
  };

  useEditorKeys(
    {
      togglePlay: playback.toggle,
      deleteSelected: () => {
        const sel = editorStore.get().selection;
        if (sel && editable) actions.edit((d) => deleteSegment(d, sel));
      },
      undo: () => editable && actions.undo(),
      redo: () => editable && actions.redo(),
      nudge: (n: number) => {
        const sel = editorStore.get().selection;
        if (sel && editable) actions.edit((d) => nudgeSegment(d, sel, n));
        else playback.seek(beats(Math.max(0, Math.round(playback.playhead) + n)));
      },
      save: () => editable && void actions.save(),
      zoom,
      deselect: () => actions.select(null),
    },
    state.status === 'ready',
  );

  const render = async (): Promise<void> => {
    if (!k) return;
    setRenderError(null);
    const first = renderBlocker(k, lengths);
    if (first) {
      setRenderError({ message: first.message, field: first.field });
      return;
    }
    setRendering(true);
    try {
      if (!(await actions.saveNow())) return;
      const renderId = await appStore.actions.startRender(k._id, crypto.randomUUID());
      navigate(paths.render(renderId));
    } catch (e) {
      const err = asApiError(e);
      setRenderError({ message: err.message, field: err.field });
    } finally {
      setRendering(false);
    }
  };

  if (state.status === 'failed') {
    return (
      <section className="page">
        <h1>{id}</h1>
        <ErrorMessage error={state.loadError} />
        <Link to={paths.home}>Back to your kompositions</Link>
      </section>
    );
  }
  if (!k || state.id !== id) return <p className="page muted" role="status">Opening {id}…</p>;

  const shownError = saveError ?? renderError;
  return (
    <div className="editor">
      <div className="editor-head">
        <NameField k={k} editable={editable} />
        <EditorTabs id={id} current="kompost" />
      </div>
      <SettingsBar k={k} editable={editable} errorField={shownError?.field} errorMessage={shownError?.message} trackAnalysis={trackAnalysis} />
      <Toolbar
        canUndo={!!state.history && canUndo(state.history)}
        canRedo={!!state.history && canRedo(state.history)}
        dirty={dirty}
        save={state.save}
        playing={playback.playing}
        onPlay={playback.toggle}
        onZoom={zoom}
        editable={editable}
        renderable={renderable}
        rendering={rendering}
        onRender={() => void render()}
      />
      <ConflictBanner save={state.save} />
      {shownError ? <ErrorMessage error={shownError} className="editor-error" /> : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <div className="editor-body">
        <LibraryPanel media={media} editable={editable} onAdd={(m) => addMedium(m, Math.round(playback.playhead), 'picture')} />
        <div className="editor-center">
          <Timeline
            k={k}
            view={view}
            onZoom={setView}
            selection={state.selection}
            playhead={playback.playhead}
            onSeek={playback.seek}
            editable={editable}
            onDeselect={() => actions.select(null)}
            onDropMedium={(name, beat, lane, onSegment) => {
              const m = media?.find((x) => x.name === name);
              if (m) addMedium(m, beat, lane, onSegment);
            }}
            checks={checks}
            trackAnalysis={trackAnalysis}
          />
          <div className="editor-lower">
            <PreviewMonitor k={k} playhead={playback.playhead} />
            <Inspector k={k} selection={state.selection} editable={editable} media={media} lengths={lengths} check={state.selection ? checks.get(state.selection) : undefined} />
            <SourcesPanel k={k} editable={editable} />
            <AssistantPanel k={k} editable={editable} />
          </div>
        </div>
      </div>
    </div>
  );
}
