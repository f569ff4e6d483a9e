import { markdownToPlainText, readability, splitSentences } from '../../server/courses/lix';

describe('LIX', () => {
  it('computes words per sentence plus the share of long words', () => {
    // 8 words, 2 sentences, 2 long words (rullstolen, förskrivaren): 4 + 25 = 29
    expect(readability('Du låser alltid rullstolen. Sedan ringer du förskrivaren.').lix).toBe(29);
  });

  it('does not merge sentences that start with Å, Ä or Ö', () => {
    expect(splitSentences('Du tvättar dynan. Öppna fönstret. Ät sedan.')).toHaveLength(3);
  });

  it('counts long words by letters, so Swedish letters count', () => {
    expect(readability('Förflyttningshjälpmedel.').longWords).toBe(1);
    expect(readability('Hjälp.').longWords).toBe(0);
  });

  it('ends sentences at headings, list items and image alt text, and ignores Markdown syntax', () => {
    const md =
      '---\ntitle: X\nminutes: 2\n---\n## Rubrik\n\n- ett\n- två\n\n![Bild av en säng](images/a.svg)\n\n**Fet** text här.';
    expect(markdownToPlainText(md)).not.toContain('images/a.svg');
    expect(readability(md).sentences).toBe(5);
  });
});
