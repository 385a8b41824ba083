// A Vite build plugin (issue 12, first paint): a pod entry begins the handshake
// with ConnectWise and the sign-in first thing (pod/lib/start.ts) and only then
// imports its UI — `import('./app.js')` — so that Preact and the surface's code
// do not hold the sign-in back. So that this import costs no extra round trip,
// each page preloads it from the start: a modulepreload for the `app` chunk its
// entry imports and every chunk that one imports, and a stylesheet link for
// their CSS (Vite's preload helper then finds them already there). What the
// page preloads counts toward its JavaScript budget (bench/pod-size.ts).
import type { Plugin } from 'vite';

/** The module an entry imports dynamically for its first paint: `pod/<surface>/app.tsx`. */
export const FIRST_PAINT_MODULE = /[\\/]app\.tsx$/;

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  facadeModuleId?: string | null;
  imports: string[];
  dynamicImports: string[];
  viteMetadata?: { importedCss: Set<string> };
}

export function firstPaintPreload(base: string): Plugin {
  return {
    name: 'first-paint-preload',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle as Record<string, ChunkLike | { type: 'asset' }> | undefined;
        const entry = ctx.chunk as ChunkLike | undefined;
        if (!bundle || !entry) return html;
        const chunk = (file: string) => {
          const c = bundle[file];
          return c && c.type === 'chunk' ? c : undefined;
        };
        const js = new Set<string>();
        const css = new Set<string>();
        const add = (file: string) => {
          const c = chunk(file);
          if (!c || js.has(file)) return;
          js.add(file);
          for (const f of c.viteMetadata?.importedCss ?? []) css.add(f);
          for (const f of c.imports) add(f);
        };
        for (const f of entry.dynamicImports) if (FIRST_PAINT_MODULE.test(chunk(f)?.facadeModuleId ?? '')) add(f);
        const tags = [
          ...[...js].filter((f) => !html.includes(`${base}${f}"`)).map((f) => `<link rel="modulepreload" crossorigin href="${base}${f}">`),
          ...[...css].filter((f) => !html.includes(`${base}${f}"`)).map((f) => `<link rel="stylesheet" crossorigin href="${base}${f}">`),
        ];
        return tags.length ? html.replace(/\n?\s*<\/head>/, `\n    ${tags.join('\n    ')}\n  </head>`) : html;
      },
    },
  };
}
