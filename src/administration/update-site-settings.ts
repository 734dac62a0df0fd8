import type { AppContext } from '../platform/context.ts';
import { validation } from '../platform/errors.ts';
import { getSiteSettings, type SiteSettings, saveSiteSettings, siteSettingsSchema } from '../platform/settings/site-settings.ts';

const fieldMessages: Partial<Record<keyof SiteSettings, string>> = {
  siteName: 'Enter the site name (at most 120 characters).',
  editorialBoardEmail: 'Enter the editorial board’s e-mail address, like name@example.gov.',
  responseCenterEmail: 'Enter the Response Center’s e-mail address, like name@example.gov.',
  firstVolumeYear: 'Enter a year such as 2008.',
  transactionalFrom: 'Enter a sender like: Community Policing Dispatch <no-reply@example.gov>.',
  bulletinFrom: 'Enter the bulletin sender on one line, like: Community Policing Dispatch <dispatch@example.gov>.',
};

/** Validates and saves the site settings from the admin form, and audits what changed. */
export async function updateSiteSettings(
  ctx: AppContext,
  options: { form: Record<string, string>; actor: { id: string; email: string }; ip?: string },
): Promise<SiteSettings> {
  const parsed = siteSettingsSchema.safeParse({ ...options.form, showOfficialBanner: options.form.showOfficialBanner === 'on' });
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]) as keyof SiteSettings;
      fields[name] ??= fieldMessages[name] ?? 'Check this value (it may be empty or too long).';
    }
    throw validation(fields);
  }
  const before = await getSiteSettings(ctx.db);
  await saveSiteSettings(ctx.db, ctx.clock, parsed.data);
  const changed = (Object.keys(parsed.data) as (keyof SiteSettings)[]).filter((k) => before[k] !== parsed.data[k]);
  await ctx.audit.record({
    action: 'settings.updated',
    actor: options.actor.email,
    actorUserId: options.actor.id,
    ip: options.ip,
    details: { changed },
  });
  return parsed.data;
}
