// A render's name in a list: its komposition's name and when it was started, a link to the
// render, with its id as quieter secondary text (operators and support still quote it).
import type { RenderSummary } from '../api/types';
import { Link, paths } from '../app/router';
import { renderTitle } from '../workflow/renderTitle';

export function RenderName({ render, kompositionName }: { render: RenderSummary; kompositionName: string | undefined }) {
  return (
    <Link to={paths.render(render.id)} className="render-name">
      <span className="render-title">{renderTitle(render, kompositionName)}</span> <span className="render-id">{render.id}</span>
    </Link>
  );
}
