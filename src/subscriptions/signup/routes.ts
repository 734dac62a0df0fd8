import type { FeatureRoutes } from '../../platform/http/app.ts';

/** /subscribe, /subscribe/confirm/:token */
export const signupRoutes: FeatureRoutes = async () => {};
