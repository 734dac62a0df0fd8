import type { FeatureRoutes } from '../../platform/http/app.ts';
import { articleRoutes } from './articles/routes.ts';
import { eventRoutes } from './events/routes.ts';
import { issueRoutes } from './issues/routes.ts';
import { resourceRoutes } from './resources/routes.ts';
import { topicRoutes } from './topics/routes.ts';
import { registerMultipart } from './uploads/multipart.ts';
import { uploadRoutes } from './uploads/routes.ts';

/** The editorial admin: issues, articles, events, resources, topics, uploads, workflow. */
export const editorialRoutes: FeatureRoutes = async (app, ctx) => {
  // Multipart parsing exists only in this scope, for the image upload forms.
  await registerMultipart(app);
  await issueRoutes(app, ctx);
  await articleRoutes(app, ctx);
  await eventRoutes(app, ctx);
  await resourceRoutes(app, ctx);
  await topicRoutes(app, ctx);
  await uploadRoutes(app, ctx);
};
