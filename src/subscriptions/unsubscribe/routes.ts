import type { FeatureRoutes } from '../../platform/http/app.ts';

/** /unsubscribe/:token (page, form POST and RFC 8058 one-click POST) */
export const unsubscribeRoutes: FeatureRoutes = async () => {};
