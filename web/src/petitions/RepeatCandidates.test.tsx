import { MockedProvider } from '@apollo/client/testing';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RepeatCandidateRowFragment } from '../graphql/graphql';
import { RepeatCandidates } from './RepeatCandidates';

const candidate = (row: Partial<RepeatCandidateRowFragment>): RepeatCandidateRowFragment => ({
  __typename: 'RepeatCandidate',
  id: 'UmVwZWF0Q2FuZGlkYXRlOjE=',
  reference: '西信〔2026〕0001号',
  office: { __typename: 'Office', code: '330106', name: '西湖区信访局' },
  registeredAt: '2026-11-02T09:00:00+08:00',
  status: 'ACCEPTED',
  score: 0.9,
  reasons: [],
  explanation: [],
  onTerminatedMatter: false,
  decision: 'PENDING',
  visible: true,
  ...row,
});

function renderCandidates(...candidates: RepeatCandidateRowFragment[]) {
  render(
    <MockedProvider>
      <RepeatCandidates check={{ __typename: 'RepeatCheck', state: 'DONE', available: true, unavailableCode: null, onTerminatedMatter: false, candidates }} />
    </MockedProvider>,
  );
  return screen.getAllByRole('row').slice(1); // the header row first
}

afterEach(cleanup);

describe('RepeatCandidates 理由', () => {
  it('shows the evidence in words when the candidate has no reason tag', () => {
    const [row] = renderCandidates(candidate({ explanation: ['同一电话: 姓名不同', '同一事项: 龙坞村 征地补偿 金额一致'] }));
    const evidence = within(row).getByTestId('repeat-evidence');
    expect(within(evidence).getByText('同一电话: 姓名不同')).toBeTruthy();
    expect(within(evidence).getByText('同一事项: 龙坞村 征地补偿 金额一致')).toBeTruthy();
  });

  it('shows the reason tags, then the evidence in words', () => {
    const [row] = renderCandidates(candidate({ reasons: ['SAME_PERSON', 'SIMILAR_CONTENT'], explanation: ['同一人: 身份证号'] }));
    const text = within(row).getByTestId('repeat-evidence').textContent;
    expect(text).toBe('同一信访人内容相似同一人: 身份证号');
  });

  it('shows nothing of a candidate this office may not see', () => {
    const [row] = renderCandidates(candidate({ visible: false }));
    expect(within(row).queryByTestId('repeat-evidence')).toBeNull();
    expect(within(row).getByText('—')).toBeTruthy();
  });
});

describe('RepeatCandidates', () => {
  it('says a check still to run is under way, not that it failed', () => {
    render(
      <MockedProvider>
        <RepeatCandidates check={{ __typename: 'RepeatCheck', state: 'PENDING', available: false, unavailableCode: null, onTerminatedMatter: false, candidates: [] }} />
      </MockedProvider>,
    );
    expect(screen.getByRole('alert').textContent).toBe('重复访检查进行中，请稍后刷新');
  });
});
