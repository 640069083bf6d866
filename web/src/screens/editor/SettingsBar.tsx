// The komposition's tempo, render range, and picture size.
import type { Komposition } from '../../api/types';
import { editorStore } from '../../editor/editorStore';
import { effectiveBpm, lengthSeconds, renderRange, RESOLUTION_PRESETS, setBpm, setFit, setRange, setResolution } from '../../komposition/model';
import { formatDuration } from '../../components/format';
import { NumberField } from './NumberField';

/** The field a server error names, matched to one of these inputs. */
function fieldError(errorField: string | undefined, ...fields: string[]): string | null {
  return errorField && fields.some((f) => errorField === f || errorField.startsWith(`${f}.`)) ? errorField : null;
}

export function SettingsBar({ k, editable, errorField, errorMessage }: { k: Komposition; editable: boolean; errorField?: string; errorMessage?: string }) {
  const { edit } = editorStore.actions;
  const range = renderRange(k);
  const preset = RESOLUTION_PRESETS.findIndex((p) => p.width === k.config.width && p.height === k.config.height);
  const err = (...f: string[]): string | null => (fieldError(errorField, ...f) ? (errorMessage ?? null) : null);
  return (
    <section className="settings" aria-label="Komposition settings">
      <NumberField id="bpm" label="BPM" value={effectiveBpm(k)} min={1} max={999} step={1} disabled={!editable} onCommit={(v) => edit((d) => setBpm(d, v))} error={err('bpm', 'beatpattern.masterbpm')} />
      <NumberField id="from-beat" label="From beat" value={range.from} min={0} step={1} integer disabled={!editable} onCommit={(v) => edit((d) => setRange(d, v, Math.max(v + 1, range.to)))} error={err('beatpattern.frombeat')} />
      <NumberField id="to-beat" label="To beat" value={range.to} min={1} step={1} integer disabled={!editable} onCommit={(v) => edit((d) => setRange(d, Math.min(range.from, v - 1), v))} error={err('beatpattern.tobeat')} />
      <label className="field">
        Resolution
        <select
          value={preset < 0 ? 'custom' : String(preset)}
          disabled={!editable}
          onChange={(e) => {
            const p = RESOLUTION_PRESETS[Number(e.target.value)];
            if (p) edit((d) => setResolution(d, p.width, p.height));
          }}
          aria-invalid={err('config.width', 'config.height') ? true : undefined}
        >
          {preset < 0 ? <option value="custom">{`${k.config.width}×${k.config.height}`}</option> : null}
          {RESOLUTION_PRESETS.map((p, i) => (
            <option key={p.label} value={i}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field checkbox">
        <input type="checkbox" checked={k.config.fit === 'crop'} disabled={!editable} onChange={(e) => edit((d) => setFit(d, e.target.checked))} />
        Fill the frame (crop)
      </label>
      <p className="length" aria-label="Length">
        {formatDuration(lengthSeconds(k))}
        <span className="muted small"> · {range.to - range.from} beats</span>
      </p>
    </section>
  );
}
