/** What the search page was asked for; every link on it keeps these. */
export interface SearchParams {
  q: string;
  kind: string;
  topic: string;
}

/** `/search?q=…&kind=…&topic=…&page=…` with empty parameters left out and page 1 implied. */
export function searchHref(params: SearchParams, page = 1): string {
  const query = new URLSearchParams();
  if (params.q) query.set('q', params.q);
  if (params.kind) query.set('kind', params.kind);
  if (params.topic) query.set('topic', params.topic);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `/search?${text}` : '/search';
}
