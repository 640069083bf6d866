// A render that is not there says so in words and links back to the list of renders.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client';
import { RenderNotFound } from '../src/screens/render/RenderNotFound';

describe('RenderNotFound', () => {
  it('names the missing render and links back to all renders', () => {
    const html = renderToStaticMarkup(createElement(RenderNotFound, { id: 'doesnotexist', error: new ApiError(404, 'not_found', 'render doesnotexist: no such render') }));
    expect(html).toContain('<h1>No such render</h1>');
    expect(html).toContain('<code>doesnotexist</code>');
    expect(html).toContain('<a href="/renders">← All renders</a>');
  });

  it('shows another refusal as the server said it, with the same way back', () => {
    const html = renderToStaticMarkup(createElement(RenderNotFound, { id: 'r1', error: new ApiError(403, 'forbidden', 'not your render') }));
    expect(html).toContain('not your render');
    expect(html).toContain('<a href="/renders">← All renders</a>');
  });
});
