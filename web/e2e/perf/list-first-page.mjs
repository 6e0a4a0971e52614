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
  for (let i = 0; i < RUNS; i++) {
    let started = performance.now();
    await page.goto(`${origin('perf')}/petitions`);
    await page.getByTestId('petition-row').first().waitFor();
    loads.push(performance.now() - started);

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
