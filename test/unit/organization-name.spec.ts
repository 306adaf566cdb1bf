import {
  nameProblem,
  normalizeName,
} from '../../src/organizations/domain/rules/organization-name.js';

describe('nameProblem: Chinese, 2–50 characters, printable', () => {
  it.each([
    ['two Chinese characters', '书画'],
    ['50 Chinese characters', '书'.repeat(50)],
    ['50 characters counted as code points (supplementary Han)', '𠀀'.repeat(50)],
    ['Chinese with Latin letters and digits', '上海新村K歌2队'],
    ['Chinese with full-width brackets', '天平路街道（上海新村）书画小组'],
    ['surrounding spaces (trimmed for the length)', ' 书画 '],
  ])('accepts %s', (_w, name) => {
    expect(nameProblem(name)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['one character', '书'],
    ['one character between spaces', '   书   '],
    ['51 characters', '书'.repeat(51)],
    ['51 supplementary Han characters', '𠀀'.repeat(51)],
  ])('refuses %s as a length problem', (_w, name) => {
    expect(nameProblem(name)).toBe('a name has 2 to 50 characters');
  });

  it.each([
    ['Latin only', 'Calligraphy Club'],
    ['digits only', '12345'],
    ['Japanese kana only', 'あいうえお'],
    ['Korean only', '서예동호회'],
  ])('refuses %s as not Chinese', (_w, name) => {
    expect(nameProblem(name)).toBe('a name must be in Chinese (contain Chinese characters)');
  });

  it.each([
    ['a bell character', '书画\u0007小组'],
    ['a newline inside', '书画\n小组'],
    ['a zero-width space', '书画\u200b小组'],
    ['a right-to-left override', '书画\u202e小组'],
    ['a private-use character', '书画\ue000小组'],
  ])('refuses %s', (_w, name) => {
    expect(nameProblem(name)).toBe('a name may not contain control characters');
  });
});

describe('normalizeName: one form for the uniqueness of names under one managing authority', () => {
  it('removes every whitespace', () => {
    expect(normalizeName(' 上海新村 书画\t小组 ')).toBe('上海新村书画小组');
    expect(normalizeName('上海新村\u3000书画小组')).toBe('上海新村书画小组');
  });

  it('folds full-width letters, digits and brackets to their half-width forms', () => {
    expect(normalizeName('ＡＢＣ舞蹈队２')).toBe('ABC舞蹈队2');
    expect(normalizeName('天平（上海新村）小组')).toBe('天平(上海新村)小组');
  });

  it('removes default-ignorable code points: variation selectors, zero-width characters', () => {
    expect(normalizeName('田林舞蹈队\ufe00')).toBe('田林舞蹈队');
    expect(normalizeName('田林\ufe0f舞蹈队\udb40\udd00')).toBe('田林舞蹈队');
    expect(normalizeName('田\u200b林\u200c舞\u200d蹈\u2060队\ufeff')).toBe('田林舞蹈队');
    expect(normalizeName('田林\u00ad舞蹈队')).toBe('田林舞蹈队');
  });

  it('keeps different names different', () => {
    expect(normalizeName('上海新村书画小组')).not.toBe(normalizeName('上海新村书法小组'));
    expect(normalizeName('abc舞蹈队')).not.toBe(normalizeName('ABC舞蹈队'));
  });
});
