import { addMs, iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';

/** Job that lets go of imports nobody finished, so staged addresses are not kept indefinitely. */
export const PURGE_STALE_IMPORTS_JOB = 'subscriptions.purge-stale-imports';

const HOUR = 60 * 60 * 1000;
/** A checked file waits this long for "Import the valid rows" or "Import nothing", then counts as nothing. */
export const READY_IMPORT_KEPT_MS = 7 * 24 * HOUR;
/** A check still "validating" after this long was cut off (the process stopped) and never will finish. */
export const STALLED_CHECK_MS = 24 * HOUR;

export const STALLED_CHECK_MESSAGE = 'The check stopped before the end of the file (the server restarted). Check the file again.';

/**
 * Staged rows hold subscribers' addresses, so they must not outlive the import's purpose: a file
 * checked but left undecided for a week is treated as "Import nothing", and a check that died half
 * way (a restart mid-upload) is marked failed. Both lose their staged rows; the rejected lines of an
 * undecided import (line numbers and reasons only) stay for its report.
 */
export async function purgeStaleImports(ctx: AppContext): Promise<{ discarded: number; failed: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const undecided = await trx
      .updateTable('subscriber_imports')
      .set({ status: 'discarded', finished_at: iso(now) })
      .where('status', '=', 'ready')
      .where('created_at', '<', iso(addMs(now, -READY_IMPORT_KEPT_MS)))
      .returning('id')
      .execute();
    const stalled = await trx
      .updateTable('subscriber_imports')
      .set({ status: 'failed', error: STALLED_CHECK_MESSAGE, total_rows: 0, valid_rows: 0, rejected_rows: 0, finished_at: iso(now) })
      .where('status', '=', 'validating')
      .where('created_at', '<', iso(addMs(now, -STALLED_CHECK_MS)))
      .returning('id')
      .execute();
    const ids = [...undecided, ...stalled].map((row) => row.id);
    if (ids.length > 0) await trx.deleteFrom('subscriber_import_rows').where('import_id', 'in', ids).execute();
    if (stalled.length > 0) {
      await trx
        .deleteFrom('subscriber_import_rejections')
        .where(
          'import_id',
          'in',
          stalled.map((row) => row.id),
        )
        .execute();
    }
    return { discarded: undecided.length, failed: stalled.length };
  });
}
