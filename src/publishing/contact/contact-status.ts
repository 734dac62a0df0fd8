import { z } from 'zod';
import type { ContactStatus } from '../../platform/db/schema.ts';

/** Where a Contact Us message stands, in the order the inbox offers them. */
export const CONTACT_STATUSES = ['new', 'answered', 'archived'] as const satisfies readonly ContactStatus[];

export const contactStatusSchema = z.enum(CONTACT_STATUSES);

/** The inbox filter: one status, or every message. */
export type ContactStatusFilter = ContactStatus | 'all';

export const contactStatusFilterSchema = z.enum([...CONTACT_STATUSES, 'all']);

export const CONTACT_STATUS_LABELS: Record<ContactStatus, string> = {
  new: 'New',
  answered: 'Answered',
  archived: 'Archived',
};
