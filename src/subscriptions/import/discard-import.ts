import { iso } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { auditFieldsOf, type StaffActor } from '../staff-actor.ts';
import { refusal } from './commit-import.ts';

/**
 * Step 2, "Import nothing": the staged rows (the addresses) are deleted at once; the rejected
 * lines, which hold only line numbers and reasons, stay for the report.
 */
export async function discardImport(ctx: AppContext, input: { importId: string; actor: StaffActor }): Promise<void> {
  const { importId } = input;
  await ctx.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('subscriber_imports')
      .set({ status: 'discarded', finished_at: iso(ctx.clock.now()) })
      .where('id', '=', importId)
      .where('status', '=', 'ready')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw await refusal(trx, importId);
    await trx.deleteFrom('subscriber_import_rows').where('import_id', '=', importId).execute();
  });
  await ctx.audit.record({
    action: 'subscribers.import.discarded',
    ...auditFieldsOf(input.actor),
    subjectType: 'subscriber_import',
    subjectId: importId,
  });
}
