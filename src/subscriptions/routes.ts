import type { FeatureRoutes } from '../platform/http/app.ts';
import { preferencesRoutes } from './preferences/routes.ts';
import { signupRoutes } from './signup/routes.ts';
import { unsubscribeRoutes } from './unsubscribe/routes.ts';

/** The public side of subscriptions: sign-up with double opt-in, preferences by e-mail, unsubscribe. */
export const subscriptionRoutes: FeatureRoutes = async (app, ctx) => {
  await signupRoutes(app, ctx);
  await preferencesRoutes(app, ctx);
  await unsubscribeRoutes(app, ctx);
};
