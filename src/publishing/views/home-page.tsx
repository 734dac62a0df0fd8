import type { PageContext } from '../../platform/views/page-context.ts';
import { issueDateline, publishedDateLabel } from '../format.ts';
import type { IssueContents } from '../site/find-issue.ts';
import type { ArticleRow } from '../site/published.ts';
import { parseLinks, splitAuthors } from '../site/rows.ts';
import { AdditionalResources, ArticleBody, EventBox, FollowLinks, IssueStamp, namesList, TopicLinks } from './parts.tsx';
import { PublicLayout } from './public-layout.tsx';

/** The lead article in full, as the newsletter prints it: title, byline, body, event, resources. */
function LeadArticle({ article, contents }: { article: ArticleRow; contents: IssueContents }) {
  const authors = splitAuthors(article.authors);
  return (
    <article class="margin-bottom-6" aria-labelledby={`article-${article.id}`}>
      <h2 id={`article-${article.id}`} class="font-heading-xl margin-top-1">
        <a href={`/articles/${article.slug}`}>{article.title}</a>
      </h2>
      <p class="article-meta">
        {authors.length ? <>By {namesList(authors)} | </> : null}
        <time dateTime={article.published_at ?? undefined}>{publishedDateLabel(article.published_at ?? article.updated_at)}</time>
      </p>
      <p class="usa-intro">{article.summary}</p>
      <ArticleBody markdown={article.body_markdown} demoteBy={1} />
      {contents.events
        .filter((e) => e.article_id === article.id)
        .map((event) => (
          <EventBox event={event} level={3} />
        ))}
      <AdditionalResources links={parseLinks(article.additional_resources)} level={3} id={`resources-${article.id}`} />
      <TopicLinks topics={contents.topics.get(article.id) ?? []} level={3} id={`topics-${article.id}`} />
    </article>
  );
}

/** Any further article: title, summary and a link to read it. */
function ArticleTeaser({ article, contents }: { article: ArticleRow; contents: IssueContents }) {
  const events = contents.events.filter((e) => e.article_id === article.id);
  return (
    <article class="margin-bottom-5 article-teaser" aria-labelledby={`article-${article.id}`}>
      <h2 id={`article-${article.id}`} class="font-heading-lg">
        <a href={`/articles/${article.slug}`}>{article.title}</a>
      </h2>
      <p>{article.summary}</p>
      <p>
        <a class="usa-link" href={`/articles/${article.slug}`}>
          Read the article<span class="usa-sr-only">: {article.title}</span>
        </a>
      </p>
      {events.map((event) => (
        <EventBox event={event} level={3} />
      ))}
    </article>
  );
}

/** An issue: the first article in full, the others as teasers, and a side column. */
function IssueContentsView({ contents }: { contents: IssueContents }) {
  const [lead, ...others] = contents.articles;
  return (
    <div class="grid-row grid-gap-lg">
      <div class="desktop:grid-col-8">
        {lead ? <LeadArticle article={lead} contents={contents} /> : <p>The articles of this issue are on their way.</p>}
        {others.map((article) => (
          <ArticleTeaser article={article} contents={contents} />
        ))}
      </div>
      <aside class="desktop:grid-col-4 publishing-aside" aria-label="About this issue">
        {contents.articles.length > 1 ? (
          <nav aria-labelledby="in-this-issue" class="margin-bottom-4">
            <h2 id="in-this-issue" class="font-heading-md">
              In this issue
            </h2>
            <ul class="usa-list">
              {contents.articles.map((article) => (
                <li>
                  <a href={`/articles/${article.slug}`}>{article.title}</a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <FollowLinks level={2} />
        <p>
          <a href="/issues">Earlier issues</a> · <a href="/events">Events</a> · <a href="/resources">Resources</a>
        </p>
      </aside>
    </div>
  );
}

/** `/`: the current issue. */
export function HomePage({ ctx, current }: { ctx: PageContext; current: IssueContents | undefined }) {
  if (!current) {
    return (
      <PublicLayout ctx={ctx} title="Current issue">
        <h1>{ctx.settings.siteName}</h1>
        <p class="usa-intro">No issue has been published yet.</p>
        <FollowLinks level={2} />
      </PublicLayout>
    );
  }
  const dateline = issueDateline(current.issue);
  return (
    <PublicLayout ctx={ctx} title={dateline}>
      <IssueStamp issue={current.issue} />
      <h1 class="usa-sr-only">
        {ctx.settings.siteName}: {dateline}
      </h1>
      <IssueContentsView contents={current} />
    </PublicLayout>
  );
}

/** `/issues/:volume/:number`: one issue of the archive. */
export function IssuePage({ ctx, contents }: { ctx: PageContext; contents: IssueContents }) {
  const dateline = issueDateline(contents.issue);
  return (
    <PublicLayout ctx={ctx} title={dateline}>
      <nav aria-label="Breadcrumbs" class="usa-breadcrumb padding-top-0">
        <ol class="usa-breadcrumb__list">
          <li class="usa-breadcrumb__list-item">
            <a class="usa-breadcrumb__link" href="/issues">
              Issue archive
            </a>
          </li>
          <li class="usa-breadcrumb__list-item usa-current" aria-current="page">
            {dateline}
          </li>
        </ol>
      </nav>
      <h1 class="issue-dateline issue-dateline--heading">{dateline}</h1>
      <IssueContentsView contents={contents} />
    </PublicLayout>
  );
}
