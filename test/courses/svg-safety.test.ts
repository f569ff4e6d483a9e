import fs from 'node:fs';
import path from 'node:path';
import { unsafeSvg } from '../../server/courses/svg-safety';

const svg = (inner: string, extra = '') =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"${extra}>${inner}</svg>`;

describe('unsafeSvg', () => {
  it.each([
    [
      'a script with its own prefix',
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></svg>',
      '<s:script>',
    ],
    ['a plain script', svg('<script>alert(1)</script>'), '<script>'],
    [
      '<animate> setting href to javascript:',
      svg('<a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a>'),
      '<a>',
    ],
    [
      '<animate> alone',
      svg('<rect width="1" height="1"><animate attributeName="fill" to="red"/></rect>'),
      '<animate>',
    ],
    ['<set> with javascript:', svg('<set attributeName="href" to="javascript:alert(1)"/>'), '<set>'],
    [
      'xlink:href to javascript:',
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="javascript:alert(1)"/></svg>',
      'xlink:href på <use>',
    ],
    [
      '<foreignObject>',
      svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
      '<foreignObject>',
    ],
    ['an external href', svg('<use href="https://evil.example/a.svg#x"/>'), 'href på <use>'],
    ['<image> from elsewhere', svg('<image href="https://evil.example/p.png"/>'), '<image>'],
    ['an onload attribute', svg('', ' onload="alert(1)"'), 'onload på <svg>'],
    ['an onclick in upper case', svg('<rect ONCLICK="alert(1)" width="1" height="1"/>'), 'ONCLICK på <rect>'],
    ['<style> with url(', svg('<style>rect { fill: url(https://evil.example/x) }</style>'), '<style>'],
    [
      'a style attribute',
      svg('<rect style="fill:url(https://evil.example/x)" width="1" height="1"/>'),
      'style på <rect>',
    ],
    [
      'a fill with an external url(',
      svg('<rect fill="url(https://evil.example/x#p)" width="1" height="1"/>'),
      'url() i attributet fill',
    ],
    [
      'an element of another namespace',
      svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'),
      '<h:script>',
    ],
    [
      'a stylesheet instruction',
      '<?xml-stylesheet href="https://evil.example/s.css"?>' + svg(''),
      'xml-stylesheet',
    ],
    ['a DOCTYPE with entities', '<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + svg('<text>&a;</text>'), 'DOCTYPE'],
  ])('refuses %s, naming it', (_what, input, named) => {
    const problem = unsafeSvg(input);
    expect(problem).toContain(named);
    expect(problem).toMatch(/^(SVG-bilden|Filen)/);
  });

  it('refuses what is not SVG or not XML', () => {
    expect(unsafeSvg('<svg><rect></svg>')).toMatch(/inte giltig XML|inte en SVG-bild/);
    expect(unsafeSvg('<html xmlns="http://www.w3.org/1999/xhtml"/>')).toContain('inte en SVG-bild');
  });

  it('accepts drawings with local references: markers, patterns, gradients, <use href="#…">', () => {
    const drawing = svg(
      '<title>Rullstol</title><defs><marker id="m" markerWidth="4" markerHeight="4" refX="2" refY="2" orient="auto"><path d="M0 0 L4 2 L0 4z"/></marker>' +
        '<linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>' +
        '<line x1="0" y1="0" x2="5" y2="5" stroke="#000" marker-end="url(#m)"/><rect width="5" height="5" fill="url(\'#g\')"/><use href="#m" xml:space="preserve"/>' +
        '<text x="1" y="9" font-size="2" text-anchor="start">Aina</text>',
      ' role="img" aria-labelledby="t"',
    );
    expect(unsafeSvg(drawing)).toBeNull();
  });

  it('accepts every SVG shipped with the courses', () => {
    const root = path.join(__dirname, '..', '..', 'courses');
    const files = fs.readdirSync(root).flatMap((course) => {
      const dir = path.join(root, course, 'images');
      return fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .filter((f) => f.endsWith('.svg'))
            .map((f) => path.join(dir, f))
        : [];
    });
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) expect([file, unsafeSvg(fs.readFileSync(file, 'utf8'))]).toEqual([file, null]);
  });
});
