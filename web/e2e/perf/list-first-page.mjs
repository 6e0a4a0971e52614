// Benchmark (tests/perf/test_web_perf.py): how long the petitions list takes to show its first
// page in an office of 100,000 petitions — from navigation to the first row on screen, a full
// page load (shell, chunks, Session and PetitionList queries) and a click from the menu; then the
// detail page of the first petition.
import { test } from 'node:test';
import { menu, newPage, origin, useBrowser } from '../lib.mjs';

const browser = useBrowser();
const RUNS = Number(process.env.XINFANG_PERF_RUNS ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('first page of the petitions list', async () => {
  const page = await newPage(browser());
  await page.goto(`${origin('perf')}/login?next=%2Fpetitions`);
  await page.getByLabel('用户名').fill(process.env.XINFANG_PERF_USER);
  await page.getByLabel('密码').fill(process.env.XINFANG_PERF_PASSWORD);
  await page.getByLabel('密码').press('Enter');
  await page.getByTestId('petition-row').first().waitFor();

  const loads = [];
  const clicks = [];
  // Where a full load's time goes: each milestone in ms from navigation start (the page's clock),
  // the GraphQL operations by name with their server time (request sent to response end).
  const milestones = [];
  const operations = new Map();
  page.on('requestfinished', (request) => {
    if (!request.url().endsWith('/graphql/')) return;
    const name = request.postDataJSON()?.operationName;
    const timing = request.timing();
    if (name) operations.set(name, { sent: timing.startTime, ms: timing.responseEnd });
  });
  for (let i = 0; i < RUNS; i++) {
    operations.clear();
    let started = performance.now();
    await page.goto(`${origin('perf')}/petitions`);
    await page.getByTestId('petition-row').first().waitFor();
    loads.push(performance.now() - started);
    milestones.push(await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const scripts = performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'));
      const graphql = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/graphql/'));
      return {
        html: nav.responseEnd,
        entryScript: Math.max(...scripts.filter((r) => /\/index-/.test(r.name)).map((r) => r.responseEnd), 0),
        lastScript: Math.max(...scripts.map((r) => r.responseEnd), 0),
        firstQuerySent: graphql[0]?.startTime ?? 0,
        secondQuerySent: graphql[1]?.startTime ?? 0,
        lastQueryDone: Math.max(...graphql.map((r) => r.responseEnd), 0),
        rendered: performance.now(),
      };
    }));
    milestones.at(-1).operations = Object.fromEntries([...operations].map(([name, t]) => [name, t.ms]));

    await menu(page, '工作台');
    await page.getByRole('heading', { name: '工作台' }).waitFor();
    started = performance.now();
    await menu(page, '信访件');
    await page.getByTestId('petition-row').first().waitFor();
    clicks.push(performance.now() - started);
  }
  const total = await page.getByTestId('total-count').textContent();
  console.log(
    `[web] petitions list, ${total}: first page on screen after a full load p50 ` +
      `${median(loads).toFixed(0)} ms (max ${Math.max(...loads).toFixed(0)}), from the menu p50 ` +
      `${median(clicks).toFixed(0)} ms (max ${Math.max(...clicks).toFixed(0)}) over ${RUNS} runs`,
  );
  const at = (key) => median(milestones.map((m) => m[key])).toFixed(0);
  const server = (name) => median(milestones.map((m) => m.operations[name] ?? 0)).toFixed(0);
  console.log(
    `[web] full load, median ms from navigation: HTML ${at('html')}, entry script ${at('entryScript')}, ` +
      `last script ${at('lastScript')}, first query sent ${at('firstQuerySent')}, second sent ` +
      `${at('secondQuerySent')}, last query answered ${at('lastQueryDone')}, first row on screen ` +
      `${at('rendered')}; request to response: Session ${server('Session')} ms, PetitionList ` +
      `${server('PetitionList')} ms`,
  );
  // The detail page of the list's first petition: navigation to the whole page on screen (its one
  // PetitionDetail query: the petition, its timelines, resolution and repeat check).
  const details = [];
  const href = await page.getByTestId('petition-row').first().getByRole('link').first().getAttribute('href');
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await page.goto(`${origin('perf')}${href}`);
    await page.getByTestId('petition-reference').waitFor();
    await page.getByTestId('resolution').waitFor();
    details.push(performance.now() - started);
  }
  console.log(
    `[web] petition detail (one query): on screen after a full load p50 ${median(details).toFixed(0)} ms ` +
      `(max ${Math.max(...details).toFixed(0)}) over ${RUNS} runs`,
  );
});
