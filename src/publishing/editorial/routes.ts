import type { FeatureRoutes } from '../../platform/http/app.ts';

/** The editorial admin: issues, articles, events, resources, topics, uploads, workflow. */
export const editorialRoutes: FeatureRoutes = async () => {};
