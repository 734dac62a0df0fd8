import type { SiteSettings } from '../settings/site-settings.ts';

/** Who is looking at the page, as far as the layout needs to know. */
export interface Viewer {
  displayName: string;
  email: string;
  staffRole: string | null;
  hasSecondFactor: boolean;
}

/** Everything the layout needs from the request; routes get it from `request.pageContext()`. */
export interface PageContext {
  nonce: string;
  csrfToken: string;
  settings: SiteSettings;
  viewer: Viewer | null;
  path: string;
  /** Set on a local demo where the administrator postponed the second factor. */
  secondFactorPostponed: boolean;
}
