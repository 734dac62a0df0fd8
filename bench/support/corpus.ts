// A deterministic corpus that reads like the Dispatch: community-policing articles with headings,
// paragraphs, lists and links. Deterministic so two runs index exactly the same text.

/** mulberry32: a small seeded PRNG (Math.random cannot be seeded). */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  return { next, int, pick };
}
export type Random = ReturnType<typeof random>;

const places = [
  'Springfield',
  'Riverside',
  'Fairview',
  'Madison',
  'Clinton County',
  'Georgetown',
  'Franklin',
  'Salem',
  'Greenville',
  'Bristol',
  'Dayton',
  'Lakewood',
  'Ashland',
  'Burlington',
  'Marion',
  'Oxford',
  'Jackson',
  'Milton',
  'Newport',
  'Auburn',
];
const programs = [
  'school resource officer',
  'crisis intervention team',
  'youth diversion',
  'co-responder',
  'body-worn camera',
  'officer wellness',
  'victim services',
  'problem-oriented policing',
  'community advisory board',
  'peer support',
  'de-escalation training',
  'opioid overdose response',
  'homeless outreach',
  'neighbourhood watch',
  'traffic safety',
];
const partners = [
  'school districts',
  'mental health providers',
  'faith leaders',
  'public health departments',
  'universities',
  'housing authorities',
  'youth organisations',
  'prosecutors',
  'emergency managers',
  'business associations',
];
const outcomes = [
  'fewer repeat calls for service',
  'higher community trust',
  'lower use of force',
  'faster response times',
  'better officer retention',
  'fewer school arrests',
  'more referrals to treatment',
  'safer school campuses',
];
const verbs = ['built', 'expanded', 'evaluated', 'launched', 'rethought', 'funded', 'sustained', 'measured'];
const topicsOfArticles = [
  'grant funding',
  'the memorandum of understanding (MOU)',
  'data sharing',
  'training curricula',
  'recruitment',
  'evaluation',
  'procedural justice',
  'transparency',
];

/**
 * What one article is about. Real articles stay on their subject: nine sentences in ten use the
 * article's own place, program, partner and theme, so a specific query matches a share of the
 * archive and only general words ("community", "officers") match most of it.
 */
function focus(r: Random) {
  const own = {
    place: r.pick(places),
    program: r.pick(programs),
    partner: r.pick(partners),
    outcome: r.pick(outcomes),
    theme: r.pick(topicsOfArticles),
  };
  const either =
    <K extends keyof typeof own>(key: K, list: readonly string[]) =>
    () =>
      r.next() < 0.9 ? own[key] : r.pick(list);
  return {
    own,
    place: either('place', places),
    program: either('program', programs),
    partner: either('partner', partners),
    outcome: either('outcome', outcomes),
    theme: either('theme', topicsOfArticles),
  };
}
type Focus = ReturnType<typeof focus>;

const sentenceTemplates: ((r: Random, f: Focus) => string)[] = [
  (r, f) => `The ${f.place()} Police Department ${r.pick(verbs)} its ${f.program()} program with ${f.partner()}.`,
  (r, f) => `Leaders credit the partnership with ${f.outcome()} over ${r.int(2, 6)} years.`,
  (r, f) => `Officers and ${f.partner()} meet every ${r.pick(['week', 'month', 'quarter'])} to review ${f.theme()}.`,
  (_r, f) => `A ${f.program()} program works best when ${f.partner()} help design it from the start.`,
  (r, f) => `In ${r.int(2015, 2023)}, the agency used a COPS Office grant to hire ${r.int(2, 30)} officers for ${f.program()} work.`,
  (_r, f) => `Residents told surveyors that ${f.theme()} mattered more to them than enforcement numbers.`,
  (_r, f) => `The chief said the biggest lesson was to put ${f.theme()} in writing before the first day.`,
  (_r, f) => `Supervisors now track ${f.outcome()} alongside arrests and citations.`,
  (_r, f) => `Community policing depends on ${f.partner()} who trust that officers will follow through.`,
  (r) => `The evaluation found ${r.int(10, 60)} percent ${r.pick(['fewer', 'more'])} incidents in the pilot neighbourhoods.`,
];

const sentence = (r: Random, f: Focus) => r.pick(sentenceTemplates)(r, f);

function paragraph(r: Random, f: Focus): string {
  return Array.from({ length: r.int(3, 6) }, () => sentence(r, f)).join(' ');
}

export interface GeneratedArticle {
  title: string;
  summary: string;
  body: string;
  authors: string;
}

const titleTemplates: ((r: Random, f: Focus) => string)[] = [
  (r, f) => `How ${f.own.place} ${r.pick(verbs)} a ${f.own.program} program`,
  (r, f) => `${r.int(3, 9)} lessons from a ${f.own.program} partnership`,
  (_r, f) => `Community policing in ${f.own.place}: ${f.own.theme}`,
  (_r, f) => `Working with ${f.own.partner} on ${f.own.program} work`,
  (_r, f) => `What ${f.own.outcome} looks like in ${f.own.place}`,
];

/** One article: a title, a one-sentence summary and a Markdown body of about 500–900 words. */
export function generateArticle(r: Random): GeneratedArticle {
  const f = focus(r);
  const sections = r.int(2, 4);
  const parts = [paragraph(r, f), paragraph(r, f)];
  for (let s = 0; s < sections; s++) {
    parts.push(`## ${r.pick(['What changed', 'Getting started', 'Results', 'Partners', 'Funding', 'What comes next', 'Lessons learned'])}`);
    parts.push(paragraph(r, f));
    if (r.next() < 0.5) parts.push(Array.from({ length: r.int(3, 5) }, () => `- ${sentence(r, f)}`).join('\n'));
    parts.push(paragraph(r, f));
  }
  parts.push(`Read more about **${f.own.program}** programs in the [COPS Office resource center](https://cops.usdoj.gov/resources).`);
  return {
    title: r.pick(titleTemplates)(r, f),
    summary: `${sentence(r, f)} ${sentence(r, f)}`,
    body: parts.join('\n\n'),
    authors: `${r.pick(['Jordan', 'Avery', 'Sam', 'Morgan', 'Riley', 'Casey'])} ${r.pick(['Lee', 'Garcia', 'Nguyen', 'Smith', 'Okafor', 'Patel'])}, COPS Office`,
  };
}

/** Search queries a reader might type, matching few to thousands of articles. */
export const benchQueries = [
  'school resource officer',
  'MOU',
  'crisis intervention',
  '"youth diversion"',
  'body-worn camera',
  'officer wellness peer support',
  'grant',
  'de-escalation training',
  'opioid overdose',
  'Springfield',
  'mental health providers',
  'procedural justice transparency',
  'homeless outreach -Springfield',
  'evaluation or evaluated',
  'traffic safety Lakewood',
  'community trust',
];
