// A part of a pod fetched when it is first shown (a dynamic import), so the
// page's first JavaScript stays inside its budget (issue 12: 20 KB gzip an
// entry, everything the first useful paint needs included). Until it arrives
// the placeholder shows; a failed fetch says so and is tried again next time.
import type { ComponentChildren, ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { MessageBox } from './ui.js';

export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, placeholder: ComponentChildren = null): (props: P) => JSX.Element {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  return function Lazy(props: P) {
    const [component, setComponent] = useState<{ C: ComponentType<P> } | undefined>(loaded ? { C: loaded } : undefined);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (component) return;
      let live = true;
      loading ??= load().then(
        (c) => (loaded = c),
        (e: unknown) => {
          loading = undefined;
          throw e;
        },
      );
      loading.then(
        (C) => live && setComponent({ C }),
        (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
      );
      return () => {
        live = false;
      };
    }, []);
    if (component) return <component.C {...props} />;
    if (error) return <MessageBox title="Could not load this part of the pod">{`${error} Check your connection and reopen this screen.`}</MessageBox>;
    return <>{placeholder}</>;
  };
}
