import type { FeatureRoutes } from '../../platform/http/app.ts';

/** /preferences, /preferences/sign-in/:token, /preferences/open/:token, /preferences/manage… */
export const preferencesRoutes: FeatureRoutes = async () => {};
