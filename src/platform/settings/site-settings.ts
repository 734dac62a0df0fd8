import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { iso } from '../clock.ts';
import type { Db } from '../db/database.ts';

/**
 * Settings an administrator edits at run time. The defaults are the Contact Us block printed on
 * the Community Policing Dispatch; seeding writes them once, and the admin UI changes them later.
 */
export const siteSettingsSchema = z.object({
  siteName: z.string().trim().min(1).max(120),
  tagline: z.string().trim().max(200),
  showOfficialBanner: z.boolean(),
  editorialBoardEmail: z.email(),
  responseCenterPhone: z.string().trim().max(40),
  responseCenterEmail: z.email(),
  agencyName: z.string().trim().max(200),
  officeName: z.string().trim().max(200),
  streetAddress: z.string().trim().max(200),
  cityStateZip: z.string().trim().max(200),
  agencyWebsite: z.string().trim().max(200),
  /** The calendar year of Volume 1: an issue's volume is its year minus this, plus one. */
  firstVolumeYear: z.coerce.number().int().min(1900).max(2200),
  /** Printed under articles whose authors write in their own name. */
  opinionDisclaimer: z.string().trim().max(1000),
  /**
   * Sender of bulletins and digests. Mailbox providers ask that subscription mail and transactional
   * mail come from different addresses, so a complaint about one does not sink the other.
   */
  bulletinFrom: z
    .string()
    .trim()
    .min(3)
    .max(200)
    .regex(/^[^\r\n]+$/, 'must be one line'),
  /** Sender of account and subscription mail (not bulletins), e.g. "Dispatch <no-reply@example.gov>". */
  transactionalFrom: z
    .string()
    .trim()
    .min(3)
    .max(200)
    .regex(/^[^\r\n]+$/, 'must be one line'),
});

export type SiteSettings = z.infer<typeof siteSettingsSchema>;

export const defaultSiteSettings: SiteSettings = {
  siteName: 'Community Policing Dispatch',
  tagline: 'The e-newsletter of the COPS Office',
  showOfficialBanner: true,
  editorialBoardEmail: 'CPDispatch@usdoj.gov',
  responseCenterPhone: '800-421-6770',
  responseCenterEmail: 'AskCopsRC@usdoj.gov',
  agencyName: 'U.S. Department of Justice',
  officeName: 'Office of Community Oriented Policing Services',
  streetAddress: '145 N Street, N.E.',
  cityStateZip: 'Washington, DC 20530',
  agencyWebsite: 'www.cops.usdoj.gov',
  firstVolumeYear: 2008,
  opinionDisclaimer:
    'The opinions contained herein are those of the author(s) and do not necessarily represent the official position or policies of the U.S. Department of Justice. References to specific individuals, agencies, companies, products, or services should not be considered an endorsement by the author(s) or the U.S. Department of Justice.',
  bulletinFrom: 'Community Policing Dispatch <dispatch@dispatch.localhost>',
  transactionalFrom: 'Community Policing Dispatch <no-reply@dispatch.localhost>',
};

const KEY = 'site';

/** The current site settings; values missing from the stored row fall back to the defaults. */
export async function getSiteSettings(db: Db): Promise<SiteSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  if (!row) return defaultSiteSettings;
  const stored = siteSettingsSchema.partial().safeParse(JSON.parse(row.value));
  return { ...defaultSiteSettings, ...(stored.success ? stored.data : {}) };
}

/** Stores validated settings (the caller validates with siteSettingsSchema and audits the change). */
export async function saveSiteSettings(db: Db, clock: Clock, settings: SiteSettings): Promise<void> {
  const value = JSON.stringify(settings);
  const now = iso(clock.now());
  await db
    .insertInto('settings')
    .values({ key: KEY, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

/** Writes the defaults only if no settings row exists yet (first start). Returns whether it wrote. */
export async function seedSiteSettings(db: Db, clock: Clock): Promise<boolean> {
  const result = await db
    .insertInto('settings')
    .values({ key: KEY, value: JSON.stringify(defaultSiteSettings), updated_at: iso(clock.now()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
