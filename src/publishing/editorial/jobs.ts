import type { AppContext } from '../../platform/context.ts';
import type { JobHandler } from '../../platform/jobs/index.ts';

/** Job handlers of the editorial workflow (scheduled publishing). */
export function editorialJobHandlers(_ctx: AppContext): Record<string, JobHandler> {
  return {};
}
