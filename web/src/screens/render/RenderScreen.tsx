// One render, live: the workflow's steps as they run, the overall progress and ETA; once
// done, the video in the page (seekable) and a download.
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { can } from '../../api/auth';
import { cancelRender, outputUrl } from '../../api/renders';
import type { Render } from '../../api/types';
import { Link, paths } from '../../app/router';
import { useUser } from '../../app/session';
import { ErrorMessage } from '../../components/ErrorMessage';
import { formatSpan, formatWhen } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { StateBadge } from '../../components/StateBadge';
import { etaSeconds, formatEta, fraction, isFinished, stageText } from '../../workflow/live';
import { useLiveRender } from '../../workflow/useLiveRender';
import { useKompositionNames } from '../useKompositionNames';
import { RenderCost } from './RenderCost';
import { RenderNotFound } from './RenderNotFound';
import { WorkflowGraph } from './WorkflowGraph';

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function Overall({ render }: { render: Render }) {
  const now = useNow(render.state === 'running');
  const f = fraction(render);
  const running = render.state === 'running' || render.state === 'queued';
  const eta = etaSeconds(render, now);
  return (
    <div className="overall" aria-live="polite">
      <ProgressBar value={render.state === 'queued' ? null : f} label="Render progress" />
      <p className="small">
        {render.state === 'queued' && 'Waiting for a worker…'}
        {render.state === 'running' && (
          <>
            <strong>{Math.round(f * 100)} %</strong> · {stageText(render)} · <span data-testid="eta">{eta === null ? 'estimating the time left…' : `${formatEta(eta)} left`}</span>
          </>
        )}
        {render.state === 'succeeded' && <>Finished in {formatSpan(render.created_at, render.finished_at)}</>}
        {render.state === 'cancelled' && 'Cancelled'}
        {!running && render.state === 'failed' ? 'This render failed.' : null}
      </p>
    </div>
  );
}

/** The player's box keeps the video's shape: as wide as fits, at most 70 % of the screen's height. */
function playerStyle(ratio: number | null): CSSProperties | undefined {
  if (!ratio) return undefined;
  return { aspectRatio: String(ratio), width: `min(100%, 960px, ${Math.round(70 * ratio * 100) / 100}vh)`, height: 'auto' };
}

function VideoResult({ render }: { render: Render }) {
  const src = render.output ?? outputUrl(render.id);
  const [failed, setFailed] = useState(false);
  const [ratio, setRatio] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const player = useRef<HTMLVideoElement>(null);
  const togglePlaying = () => {
    const v = player.current;
    if (!v) return;
    if (v.paused) void v.play().catch(() => setPlaying(false));
    else v.pause();
  };
  return (
    <section className="result" aria-labelledby="video-title">
      <h2 id="video-title">Your video</h2>
      <video
        ref={player}
        className="player"
        src={src}
        controls
        preload="metadata"
        playsInline
        style={playerStyle(ratio)}
        onLoadedMetadata={(e) => {
          const v = e.currentTarget;
          if (v.videoWidth > 0 && v.videoHeight > 0) setRatio(v.videoWidth / v.videoHeight);
        }}
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onError={() => setFailed(true)}
        aria-label={`Video of ${render.komposition}`}
      />
      {failed ? <p className="error" role="alert">The video could not be loaded; it may have been evicted from the cache. Render again: unchanged pieces are reused.</p> : null}
      <p>
        <button type="button" className="button" onClick={togglePlaying} aria-pressed={playing}>
          {playing ? 'Pause' : 'Play'}
        </button>{' '}
        <a className="button primary" href={src} download>
          Download video
        </a>
      </p>
    </section>
  );
}

export function RenderScreen({ id }: { id: string }) {
  const user = useUser();
  const { render, error, stream } = useLiveRender(id);
  const [cancelError, setCancelError] = useState<Error | null>(null);
  const names = useKompositionNames();

  if (error && !render) return <RenderNotFound id={id} error={error} />;
  if (!render) return <p className="page muted" role="status">Loading the render…</p>;

  const live = !isFinished(render.state);
  const name = names.get(render.komposition) || render.komposition;
  return (
    <div className="page render-page">
      <p className="crumbs">
        <Link to={paths.editor(render.komposition)}>← {name}</Link> · <Link to={paths.history(render.komposition)}>All renders of it</Link>
      </p>
      <div className="section-head">
        <h1>
          Render of {name} <StateBadge state={render.state} />
        </h1>
        <span className={`live-dot ${stream}`} role="status">
          {live ? (stream === 'live' ? 'Live' : stream === 'reconnecting' ? 'Reconnecting…' : 'Connecting…') : `Started ${formatWhen(render.created_at)}`}
        </span>
      </div>
      <Overall render={render} />
      {render.error ? <ErrorMessage error={{ message: render.error, field: undefined }} /> : null}
      {render.state === 'succeeded' ? <VideoResult render={render} /> : null}
      <section aria-labelledby="steps-title">
        <h2 id="steps-title">Steps</h2>
        <WorkflowGraph steps={render.steps} />
      </section>
      {render.cost ? <RenderCost cost={render.cost} /> : null}
      {live && can(user, 'render') ? (
        <p>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setCancelError(null);
              cancelRender(render.id).catch((e: Error) => setCancelError(e));
            }}
          >
            Cancel render
          </button>
        </p>
      ) : null}
      <ErrorMessage error={cancelError ? { message: cancelError.message, field: undefined } : null} />
    </div>
  );
}
