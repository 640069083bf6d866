// A render as a list names it: its komposition's name and when it was started
// ("Summer single · today 08:14"), not its id, which people do not recognise.
import type { RenderSummary } from '../api/types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const twoDigits = (n: number): string => String(n).padStart(2, '0');

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * When something was started, in local time, as a clock time people read at a glance:
 * "today 08:14", "yesterday 21:03", "12 Mar 08:14", "12 Mar 2023 08:14" (another year).
 */
export function startedAt(ms: number, now = Date.now()): string {
  if (!ms) return '';
  const at = new Date(ms);
  const today = new Date(now);
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  const clock = `${twoDigits(at.getHours())}:${twoDigits(at.getMinutes())}`;
  if (sameDay(at, today)) return `today ${clock}`;
  if (sameDay(at, yesterday)) return `yesterday ${clock}`;
  const year = at.getFullYear() === today.getFullYear() ? '' : ` ${at.getFullYear()}`;
  return `${at.getDate()} ${MONTHS[at.getMonth()]}${year} ${clock}`;
}

/**
 * The render's title: the name of its komposition (its id while the name is unknown or
 * empty) and when it was started.
 */
export function renderTitle(render: Pick<RenderSummary, 'komposition' | 'created_at'>, kompositionName: string | undefined, now = Date.now()): string {
  const name = kompositionName?.trim() || render.komposition;
  const when = startedAt(render.created_at, now);
  return when ? `${name} · ${when}` : name;
}
