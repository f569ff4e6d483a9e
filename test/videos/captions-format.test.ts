import {
  cuePlainText,
  formatTimestamp,
  normaliseCueText,
  parseCaptions,
  parseEditorTime,
  toWebVtt,
  transcriptText,
} from '../../server/videos/captions-format';
import { captionsFor, cardsFor, cuesForSpeech, wavDurationMs, wrap } from '../../server/videos/sample-films';
import { webSize } from '../../server/videos/ffmpeg';

const parse = (s: string) => parseCaptions(Buffer.from(s, 'utf8'));

describe('parseCaptions', () => {
  it('reads WebVTT with identifiers, settings, NOTE blocks and short times', () => {
    const r = parse(
      '\uFEFFWEBVTT - Bromsar\r\nKind: captions\r\n\r\nNOTE gjord för test\r\n\r\nett\r\n00:01.000 --> 00:02.500 line:90%\r\n<v Sara>Lås bromsarna</v>\r\nnu.\r\n\r\n01:00:00.000 --> 01:00:01.000\r\nSist\r\n',
    );
    expect(r).toEqual({
      ok: true,
      format: 'vtt',
      cues: [
        { startMs: 1000, endMs: 2500, text: '<v Sara>Lås bromsarna</v>\nnu.' },
        { startMs: 3_600_000, endMs: 3_601_000, text: 'Sist' },
      ],
    });
  });

  it('names the line of a broken timestamp', () => {
    const r = parse('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nEtt\n\n00:00:03.000 --> 00:00:4.000\nTvå\n');
    expect(r).toEqual({ ok: false, problems: [{ line: 6, key: 'badTimestamp', value: '00:00:4.000' }] });
  });

  it.each([
    ['an end before the start', 'WEBVTT\n\n00:02.000 --> 00:01.000\nX\n', { line: 3, key: 'endBeforeStart' }],
    [
      'cues out of order',
      'WEBVTT\n\n00:05.000 --> 00:06.000\nA\n\n00:01.000 --> 00:02.000\nB\n',
      { line: 6, key: 'outOfOrder' },
    ],
    [
      'a cue without text',
      'WEBVTT\n\n00:01.000 --> 00:02.000\n\nText efter tom rad\n',
      { line: 3, key: 'emptyCue' },
    ],
    ['a timing line without -->', 'WEBVTT\n\n00:01.000 -> 00:02.000\nX\n', { line: 3, key: 'badTiming' }],
    [
      'a text block without a timing line',
      'WEBVTT\n\n00:01.000 --> 00:02.000\nA\n\nett\nbara text\n',
      { line: 7, key: 'missingTiming' },
    ],
    [
      'no blank line after the header',
      'WEBVTT\n00:01.000 --> 00:02.000\nX\n',
      { line: 2, key: 'headerNotSeparated' },
    ],
    ['something that is neither format', 'Hej\nhopp\n', { line: 1, key: 'unknownFormat' }],
    ['a binary file', '\u0000\u0001WEBVTT', { line: 1, key: 'notText' }],
  ])('refuses %s, naming the line', (_name, text, problem) => {
    const r = parse(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject(problem);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(parseCaptions(Buffer.from([0x57, 0x45, 0xff, 0xfe, 0x00]))).toEqual({
      ok: false,
      problems: [{ line: 1, key: 'notText' }],
    });
  });

  it('converts SRT, dropping font tags and keeping italics', () => {
    const r = parse(
      '1\n00:00:01,000 --> 00:00:02,000\n<font color="red">Röd</font> & <i>kursiv</i>\n\n2\n00:00:02,500 --> 00:00:03,000 X1:0\n2 < 3\n',
    );
    expect(r).toEqual({
      ok: true,
      format: 'srt',
      cues: [
        { startMs: 1000, endMs: 2000, text: 'Röd &amp; <i>kursiv</i>' },
        { startMs: 2500, endMs: 3000, text: '2 &lt; 3' },
      ],
    });
  });
});

describe('writing captions and transcripts', () => {
  it('writes WebVTT that parses back to the same cues', () => {
    const cues = [
      { startMs: 0, endMs: 1500, text: 'Ett &amp; två' },
      { startMs: 61_000, endMs: 3_725_042, text: '<i>Tre</i>\nfyra' },
    ];
    const vtt = toWebVtt(cues);
    expect(vtt.startsWith('WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\n')).toBe(true);
    expect(parse(vtt)).toEqual({ ok: true, format: 'vtt', cues });
  });

  it('makes plain transcript text of cue payloads', () => {
    expect(cuePlainText('<v Sara Holm>Lås &amp; <b>kolla</b></v>\nbromsen')).toBe(
      'Sara Holm: Lås & kolla bromsen',
    );
    expect(transcriptText('Film', [{ startMs: 65_400, text: 'Hej' }])).toBe('Film\n\n[00:01:05] Hej\n');
  });

  it('cleans cue text typed in the editor', () => {
    expect(normaliseCueText('  Rad ett \n\n  rad --> två & <tre>  ')).toBe(
      'Rad ett\nrad → två &amp; &lt;tre>',
    );
  });

  it('reads editor times in the forms people write them', () => {
    expect(parseEditorTime('01:05.5')).toBe(65_500);
    expect(parseEditorTime('1:02:03,250')).toBe(3_723_250);
    expect(parseEditorTime('00:07')).toBe(7000);
    expect(parseEditorTime('7 sekunder')).toBeNull();
    expect(formatTimestamp(3_723_250)).toBe('01:02:03.250');
  });
});

describe('web version size', () => {
  it.each([
    [1920, 1080, 0, { width: 1280, height: 720 }],
    [1280, 720, 0, { width: 1280, height: 720 }],
    [640, 480, 0, { width: 640, height: 480 }],
    [1080, 1920, 0, { width: 720, height: 1280 }],
    [1920, 1080, 90, { width: 720, height: 1280 }],
    [3840, 1600, 0, { width: 1280, height: 534 }],
    [321, 241, 0, { width: 322, height: 242 }],
  ])('fits %i×%i (rotated %i) into 720p without enlarging', (w, h, rot, expected) => {
    expect(webSize(w, h, rot)).toEqual(expected);
  });
});

describe('sample films', () => {
  it('wraps and times narration captions over the spoken time', () => {
    expect(wrap('Lägg i bromsarna och fäll undan fotstöden innan personen flyttas', 20)).toEqual([
      'Lägg i bromsarna och',
      'fäll undan fotstöden',
      'innan personen',
      'flyttas',
    ]);
    const cues = cuesForSpeech(
      'Lägg i bromsarna och fäll undan fotstöden innan personen flyttas till stolen från sängen med glidlakan.',
      2000,
      6000,
    );
    expect(cues[0].startMs).toBe(2000);
    expect(cues.at(-1)!.endMs).toBe(8000);
    for (const c of cues) expect(c.text.split('\n').every((l) => l.length <= 42)).toBe(true);
  });

  it('says the easy text and captions exactly what is said, in both caption tracks', () => {
    const t = (standard: string, easy: string) => ({ standard, easy });
    const course = {
      slug: 'k',
      area: 'grund',
      title: t('Förflyttning med lyft', 'Lyft'),
      summary: t('s', 's'),
      estimatedMinutes: 10,
      passMark: 80,
      questionsPerAttempt: 2,
      validityMonths: 12,
      keyPoints: {
        standard: ['Kontrollera selen före varje lyft och ta en skadad sele ur bruk.'],
        easy: ['Titta på selen före varje lyft. Är den trasig? Använd den inte.'],
      },
      lessons: [],
      questions: [],
      images: {},
    } as const;
    const cards = cardsFor({
      ...course,
      keyPoints: { standard: [...course.keyPoints.standard], easy: [...course.keyPoints.easy] },
      lessons: [],
      questions: [],
    });
    expect(cards.map((c) => c.spoken)).toEqual([
      'Exempelfilm. Lyft. Filmen byts ut senare.',
      'Titta på selen före varje lyft. Är den trasig? Använd den inte.',
    ]);
    const vtt = captionsFor(cards, [2500, 4000], 900);
    expect(vtt.standard).toBe(vtt.easy);
    const said = vtt.easy
      .split('\n\n')
      .slice(1)
      .map((cue) => cue.split('\n').slice(1).join(' '))
      .join(' ');
    expect(said.trim()).toBe(cards.map((c) => c.spoken).join(' '));
    expect(vtt.easy).toContain('00:00:03.400 --> ');
  });

  it('reads the length of a WAV file from its header', () => {
    const wav = Buffer.alloc(44 + 22050 * 2);
    wav.write('RIFF', 0, 'latin1');
    wav.write('WAVE', 8, 'latin1');
    wav.write('fmt ', 12, 'latin1');
    wav.writeUInt32LE(16, 16);
    wav.writeUInt32LE(44100, 28);
    wav.write('data', 36, 'latin1');
    wav.writeUInt32LE(22050 * 2, 40);
    expect(wavDurationMs(wav)).toBe(1000);
  });
});
