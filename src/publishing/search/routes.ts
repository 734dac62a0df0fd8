import { AppError, validationFieldsOf } from '../../platform/errors.ts';
import type { FeatureRoutes } from '../../platform/http/app.ts';
import { MAX_PAGE, searchPublished } from './search-published.ts';
import { type SearchKind, searchKinds } from './tables.ts';
import type { SearchParams } from './views/search-links.ts';
import { SearchPage } from './views/search-page.tsx';

/** Results per page. */
export const SEARCH_PAGE_SIZE = 10;

interface ParsedQuery {
  params: SearchParams;
  page: number;
  errors: Record<string, string>;
  message?: string;
}

/** Reads ?q=&kind=&topic=&page=. Bad values are reported, and left out of the links the page builds. */
function parseQuery(query: unknown): ParsedQuery {
  const raw = (query ?? {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  let message: string | undefined;
  const one = (name: string): string | null => {
    const value = raw[name];
    if (value === undefined) return '';
    return typeof value === 'string' ? value : null;
  };
  // Any text is a query; a repeated q (a hand-made link) uses the first.
  const q = Array.isArray(raw.q) ? String(raw.q[0] ?? '') : (one('q') ?? '');
  let kind = one('kind');
  if (kind === null || (kind !== '' && !searchKinds.includes(kind as SearchKind))) {
    errors.kind = 'Choose articles, events or resources.';
    kind = '';
  }
  let topic = one('topic');
  // Whether a slug exists is the use-case's question; here only its shape.
  if (topic === null || topic.length > 200) {
    errors.topic = 'There is no such topic. Choose one from the list.';
    topic = '';
  }
  const pageText = one('page');
  let page = 1;
  if (pageText === null || (pageText !== '' && (!/^\d{1,7}$/.test(pageText) || Number(pageText) < 1 || Number(pageText) > MAX_PAGE))) {
    message = `The page number must be a whole number from 1 to ${MAX_PAGE}.`;
  } else if (pageText !== '') {
    page = Number(pageText);
  }
  return { params: { q, kind, topic }, page, errors, ...(message ? { message } : {}) };
}

/** `/search`: full-text search over published articles, events and resources. */
export const searchRoutes: FeatureRoutes = async (app, ctx) => {
  const listTopics = () => ctx.db.selectFrom('publishing_topics').select(['slug', 'name']).orderBy('name').execute();

  app.get('/search', async (request, reply) => {
    const { params, page, errors, message } = parseQuery(request.query);
    const [pageCtx, topics] = await Promise.all([reply.pageContext(), listTopics()]);
    if (Object.keys(errors).length > 0 || message) {
      return reply.html(SearchPage({ ctx: pageCtx, params, topics, errors, message }), 400);
    }
    if (params.q.trim() === '') return reply.html(SearchPage({ ctx: pageCtx, params, topics }));
    try {
      const outcome = await searchPublished(ctx, {
        q: params.q,
        kind: (params.kind || undefined) as SearchKind | undefined,
        topic: params.topic || undefined,
        page,
        pageSize: SEARCH_PAGE_SIZE,
      });
      return reply.html(SearchPage({ ctx: pageCtx, params, topics, outcome: { ...outcome, page, pageSize: SEARCH_PAGE_SIZE } }));
    } catch (error) {
      // An unknown topic slug (say, of a topic since deleted) is refused like a malformed one.
      const fields = validationFieldsOf(error);
      if (!fields.topic) throw new AppError('VALIDATION', Object.values(fields).join(' '));
      return reply.html(SearchPage({ ctx: pageCtx, params: { ...params, topic: '' }, topics, errors: fields }), 400);
    }
  });
};
