/**
 * Decides whether an SVG may be shown as a course image. It accepts only a whitelist of drawing elements
 * and presentation attributes in the SVG namespace: a list of forbidden things (script, on*, javascript:)
 * always misses a spelling — `<s:script>` with its own prefix, `<set attributeName="href" to="javascript:…">`.
 */
import {
  DOMParser,
  onWarningStopParsing,
  type Attr,
  type Document,
  type Element,
  type Node,
} from '@xmldom/xmldom';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Shapes, grouping, text, paint servers, markers, clipping and simple filters: nothing that runs, animates or loads. */
const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'title',
  'desc',
  'symbol',
  'use',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'linearGradient',
  'radialGradient',
  'stop',
  'pattern',
  'marker',
  'clipPath',
  'mask',
  'filter',
  'feGaussianBlur',
  'feOffset',
  'feBlend',
  'feFlood',
  'feComposite',
  'feMerge',
  'feMergeNode',
  'feColorMatrix',
  'feDropShadow',
]);

/** Geometry, presentation and accessibility attributes. No `style` (it can load with url()), no events. */
const ATTRIBUTES = new Set([
  'id',
  'class',
  'role',
  'lang',
  'tabindex',
  'focusable',
  'aria-label',
  'aria-labelledby',
  'aria-describedby',
  'aria-hidden',
  'version',
  'baseProfile',
  'viewBox',
  'preserveAspectRatio',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'fr',
  'd',
  'points',
  'pathLength',
  'transform',
  'dx',
  'dy',
  'rotate',
  'textLength',
  'lengthAdjust',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-miterlimit',
  'stroke-opacity',
  'opacity',
  'color',
  'display',
  'visibility',
  'vector-effect',
  'shape-rendering',
  'text-rendering',
  'paint-order',
  'clip-path',
  'clip-rule',
  'mask',
  'filter',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'font-variant',
  'text-anchor',
  'dominant-baseline',
  'alignment-baseline',
  'baseline-shift',
  'letter-spacing',
  'word-spacing',
  'text-decoration',
  'writing-mode',
  'marker-start',
  'marker-mid',
  'marker-end',
  'markerWidth',
  'markerHeight',
  'markerUnits',
  'refX',
  'refY',
  'orient',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'offset',
  'stop-color',
  'stop-opacity',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'filterUnits',
  'primitiveUnits',
  'in',
  'in2',
  'result',
  'mode',
  'operator',
  'k1',
  'k2',
  'k3',
  'k4',
  'stdDeviation',
  'flood-color',
  'flood-opacity',
  'type',
  'values',
  'href',
]);

/** Attributes of the xml: namespace that are only about text. */
const XML_ATTRIBUTES = new Set(['lang', 'space']);

/** `url(...)` in a value may point only inside the image (`url(#arrow)`). */
const urlsInside = (value: string) =>
  [...value.matchAll(/url\s*\(\s*(['"]?)([^)'"]*)\1\s*\)/gi)].every((m) => m[2].startsWith('#'));

function isElement(node: Node): node is Element {
  return node.nodeType === 1;
}

/** Why the SVG may not be used, in Swedish, naming the element or attribute; null when it is safe. */
export function unsafeSvg(svg: string): string | null {
  // Entity declarations (billion laughs) and external DTDs have no place in a drawing.
  if (/<!DOCTYPE/i.test(svg)) return 'SVG-bilden innehåller en DOCTYPE, som inte är tillåten';
  let doc: Document;
  try {
    doc = new DOMParser({ onError: onWarningStopParsing, locator: false }).parseFromString(
      svg,
      'image/svg+xml',
    );
  } catch {
    return 'SVG-bilden är inte giltig XML';
  }
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== 'svg')
    return 'Filen är inte en SVG-bild (<svg> saknas)';
  for (const node of Array.from(doc.childNodes)) {
    if (node.nodeType === 7 && node.nodeName !== 'xml')
      return `SVG-bilden innehåller instruktionen <?${node.nodeName}?>, som inte är tillåten`;
  }
  return checkElement(root);
}

function checkElement(element: Element): string | null {
  if (element.namespaceURI !== SVG_NS || !ELEMENTS.has(element.localName ?? '')) {
    return `SVG-bilden innehåller elementet <${element.nodeName}>, som inte är tillåtet i en kursbild`;
  }
  for (const attribute of Array.from(element.attributes)) {
    const problem = checkAttribute(element, attribute);
    if (problem) return problem;
  }
  for (const child of Array.from(element.childNodes)) {
    if (child.nodeType === 7)
      return `SVG-bilden innehåller instruktionen <?${child.nodeName}?>, som inte är tillåten`;
    if (isElement(child)) {
      const problem = checkElement(child);
      if (problem) return problem;
    }
  }
  return null;
}

function checkAttribute(element: Element, attribute: Attr): string | null {
  const where = `attributet ${attribute.name} på <${element.nodeName}>`;
  const ns = attribute.namespaceURI;
  const name = attribute.localName ?? '';
  if (ns === XMLNS_NS) return null; // namespace declarations; the elements they name are checked themselves
  const allowed =
    (ns === null && ATTRIBUTES.has(name)) ||
    (ns === XML_NS && XML_ATTRIBUTES.has(name)) ||
    (ns === XLINK_NS && name === 'href');
  if (!allowed) return `SVG-bilden innehåller ${where}, som inte är tillåtet i en kursbild`;
  const value = attribute.value.trim();
  if (name === 'href' && !value.startsWith('#')) return `SVG-bilden länkar utanför bilden med ${where}`;
  if (!urlsInside(value)) return `SVG-bilden hämtar något utanför bilden med url() i ${where}`;
  return null;
}
