import { describe, expect, it } from 'vitest';
import { highlightParts } from './highlight';

describe('highlightParts', () => {
  it('marks the hits and keeps the rest as text', () => {
    expect(highlightParts('村里<em>征地</em>补偿款<em>未发放</em>')).toEqual([
      { text: '村里', hit: false },
      { text: '征地', hit: true },
      { text: '补偿款', hit: false },
      { text: '未发放', hit: true },
    ]);
  });
  it('never turns other markup into elements', () => {
    expect(highlightParts('<img src=x onerror=alert(1)>')).toEqual([{ text: '<img src=x onerror=alert(1)>', hit: false }]);
  });
});
