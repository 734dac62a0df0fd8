// The delivery engine's public API: what the admin pages, the CLI and the benchmark call.

export { cancelCampaign } from './cancel-campaign.ts';
export { DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker.ts';
export { engineJobHandlers } from './jobs.ts';
export { pauseCampaign } from './pause-campaign.ts';
export { type CampaignProgress, readProgress } from './read-progress.ts';
export { resumeCampaign } from './resume-campaign.ts';
export { START_CAMPAIGN_JOB, startCampaign } from './start-campaign.ts';
export { bulkTransportOptions } from './transport.ts';
