import type { PageContext } from '../../platform/views/page-context.ts';
import { publishedDateLabel } from '../format.ts';
import type { ArticleView } from '../site/find-article.ts';
import { parseLinks, splitAuthors } from '../site/rows.ts';
import { AdditionalResources, ArticleBody, EventBox, IssueStamp, namesList, TopicLinks } from './parts.tsx';
import { PublicLayout } from './public-layout.tsx';

/** `/articles/:slug`: one article in full, readable on screen and on paper. */
export function ArticlePage({ ctx, view }: { ctx: PageContext; view: ArticleView }) {
  const { article, issue, topics, events } = view;
  const authors = splitAuthors(article.authors);
  const published = article.published_at ?? article.updated_at;
  return (
    <PublicLayout ctx={ctx} title={article.title}>
      <article class="article-page" aria-labelledby="article-title">
        {issue ? <IssueStamp issue={issue} /> : null}
        <h1 id="article-title">{article.title}</h1>
        <p class="article-meta">
          {authors.length ? <span class="article-byline">By {namesList(authors)}</span> : null}
          {authors.length ? ' | ' : null}
          Published <time dateTime={published}>{publishedDateLabel(published)}</time>
        </p>
        {article.image_upload_id ? (
          <figure class="article-image margin-x-0">
            <img src={`/uploads/${encodeURIComponent(article.image_upload_id)}`} alt={article.image_alt ?? ''} />
          </figure>
        ) : null}
        <p class="usa-intro">{article.summary}</p>
        <ArticleBody markdown={article.body_markdown} />
        {events.map((event) => (
          <EventBox event={event} level={2} />
        ))}
        <AdditionalResources links={parseLinks(article.additional_resources)} level={2} id="additional-resources" />
        <TopicLinks topics={topics} level={2} id="article-topics" allTopics />
        {article.show_disclaimer === 1 && ctx.settings.opinionDisclaimer ? (
          <p class="article-disclaimer">{ctx.settings.opinionDisclaimer}</p>
        ) : null}
      </article>
    </PublicLayout>
  );
}
