/** Steps of the learner's journey over HTTP, shared by the quiz and certificate tests. */
import * as cheerio from 'cheerio';
import type request from 'supertest';

export async function completeLessons(
  agent: request.Agent,
  csrf: string,
  slug: string,
  lessons: string[],
): Promise<void> {
  for (const lesson of lessons) {
    const res = await agent
      .post(`/kurser/${slug}/lektioner/${lesson}/klar`)
      .type('form')
      .send({ _csrf: csrf });
    if (res.status !== 303) throw new Error(`lesson ${lesson}: ${res.status}`);
  }
}

/** Starts a quiz attempt and returns its id. */
export async function startQuiz(agent: request.Agent, csrf: string, slug: string): Promise<number> {
  const res = await agent.post(`/kurser/${slug}/quiz`).type('form').send({ _csrf: csrf });
  const location: unknown = res.headers.location;
  const match = /\/quiz\/(\d+)\//.exec(typeof location === 'string' ? location : '');
  if (!match) throw new Error(`quiz start: ${res.status} ${res.headers.location}`);
  return Number(match[1]);
}

/** The question ids of an attempt in the order shown, read from its pages. */
export async function questionsOf(agent: request.Agent, attempt: number, total: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 1; i <= total; i++) {
    const $ = cheerio.load((await agent.get(`/quiz/${attempt}/fragor/${i}`)).text);
    ids.push(String($('input[name="questionId"]').val()));
  }
  return ids;
}

export async function answer(
  agent: request.Agent,
  csrf: string,
  attempt: number,
  questionId: string,
  selected: string[],
  extra: Record<string, string> = {},
) {
  return agent
    .post(`/quiz/${attempt}/svar`)
    .type('form')
    .send(
      `${new URLSearchParams({ _csrf: csrf, questionId, index: '1', ...extra }).toString()}${selected.map((s) => `&selected=${encodeURIComponent(s)}`).join('')}`,
    );
}

/** Right answers of the fixture course's questions. */
export const FIXTURE_RIGHT: Record<string, string[]> = {
  bromsen: ['las'],
  'vem-ringer': ['forskrivare', 'chef'],
  'laga-sjalv': ['false'],
  'bromsen-tar-inte': ['stoppa'],
  'las-vid-forflyttning': ['true'],
  'ali-ringer': ['forskrivaren'],
};
