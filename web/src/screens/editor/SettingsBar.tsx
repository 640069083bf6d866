// The komposition's tempo (with the soundtrack's detected one on offer), render range, and
// picture size.
import type { Komposition, MediumAnalysis } from '../../api/types';
import { editorStore } from '../../editor/editorStore';
import { bpmRefusal, emptyRangeWarning, fromBeatExplained, toBeatExplained } from '../../komposition/explain';
import { effectiveBpm, lengthSeconds, renderRange, RESOLUTION_PRESETS, setBpm, setFit, setResolution } from '../../komposition/model';
import { beatCount, formatDuration } from '../../components/format';
import { editExplained } from './editExplained';
import { NumberField } from './NumberField';
import { TempoOffer } from './TempoOffer';

/** The field a server error names, matched to one of these inputs. */
function fieldError(errorField: string | undefined, ...fields: string[]): string | null {
  return errorField && fields.some((f) => errorField === f || errorField.startsWith(`${f}.`)) ? errorField : null;
}

interface Props {
  k: Komposition;
  editable: boolean;
  errorField?: string | undefined;
  errorMessage?: string | undefined;
  trackAnalysis: MediumAnalysis | null;
}

export function SettingsBar({ k, editable, errorField, errorMessage, trackAnalysis }: Props) {
  const { edit } = editorStore.actions;
  const range = renderRange(k);
  const preset = RESOLUTION_PRESETS.findIndex((p) => p.width === k.config.width && p.height === k.config.height);
  const err = (...f: string[]): string | null => (fieldError(errorField, ...f) ? (errorMessage ?? null) : null);
  return (
    <section className="settings" aria-label="Komposition settings">
      <NumberField id="bpm" label="BPM" value={effectiveBpm(k)} check={bpmRefusal} step={1} disabled={!editable} onCommit={(v) => edit((d) => setBpm(d, v))} error={err('bpm', 'beatpattern.masterbpm')} />
      {editable ? <TempoOffer k={k} analysis={trackAnalysis} /> : null}
      <NumberField id="from-beat" label="From beat" value={range.from} min={0} step={1} integer disabled={!editable} onCommit={(v) => editExplained((d) => fromBeatExplained(d, v))} error={err('beatpattern.frombeat')} />
      <NumberField id="to-beat" label="To beat" value={range.to} min={1} step={1} integer disabled={!editable} onCommit={(v) => editExplained((d) => toBeatExplained(d, v))} error={err('beatpattern.tobeat')} warning={emptyRangeWarning(k)} />
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
        <span className="muted small"> · {beatCount(range.to - range.from)}</span>
      </p>
    </section>
  );
}
