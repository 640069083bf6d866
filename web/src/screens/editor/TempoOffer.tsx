// The soundtrack's detected tempo and first downbeat, offered beside the BPM where it is
// seen without scrolling (at the far end of the song lane it was off-screen); never applied
// by itself.
import type { Komposition, MediumAnalysis } from '../../api/types';
import { plainNumber } from '../../components/format';
import { editorStore } from '../../editor/editorStore';
import { applyTempo, soundtrack, tempoOffer } from '../../komposition/model';

export function TempoOffer({ k, analysis }: { k: Komposition; analysis: MediumAnalysis | null }) {
  const track = soundtrack(k);
  const offer = track ? tempoOffer(k, track.id, analysis?.suggested) : null;
  if (!track || !offer) return null;
  return (
    <button type="button" className="tempo-offer-bar" onClick={() => editorStore.actions.edit((d) => applyTempo(d, track.id, offer))}>
      {`Detected ${plainNumber(offer.bpm)} BPM, first downbeat at ${plainNumber(offer.startingOffset)} s: use them`}
    </button>
  );
}
