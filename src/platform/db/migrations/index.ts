import type { Migration } from 'kysely';
import * as createPlatformTables from './202611281800_create_platform_tables.ts';
import * as createPublishingTables from './202611281810_create_publishing_tables.ts';
import * as createSearchIndex from './202611281820_create_search_index.ts';
import * as createContentVersion from './202611281830_create_content_version.ts';
import * as createSubscriptionTables from './202611282000_create_subscription_tables.ts';
import * as createSubscriberImportTables from './202611282010_create_subscriber_import_tables.ts';
import * as createDeliveryTables from './202611282100_create_delivery_tables.ts';

/**
 * Every migration, in order. A static list (not a folder scan) so the set ships with the code and
 * cannot be changed by files lying around a deployment. Append; never edit or remove.
 */
export const migrations: Record<string, Migration> = {
  '202611281800_create_platform_tables': createPlatformTables,
  '202611281810_create_publishing_tables': createPublishingTables,
  '202611281820_create_search_index': createSearchIndex,
  '202611281830_create_content_version': createContentVersion,
  '202611282000_create_subscription_tables': createSubscriptionTables,
  '202611282010_create_subscriber_import_tables': createSubscriberImportTables,
  '202611282100_create_delivery_tables': createDeliveryTables,
};
