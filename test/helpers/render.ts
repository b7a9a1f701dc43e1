import { renderStack, type RenderResult } from "../../tools/lib/render";

const cache = new Map<string, Promise<RenderResult>>();

/** Renders a committed stack once per test run; renders run one after another (the mock runtime is global). */
let queue: Promise<unknown> = Promise.resolve();
export function rendered(stack: string): Promise<RenderResult> {
    if (!cache.has(stack)) {
        const next = queue.then(() => renderStack(stack));
        queue = next.catch(() => undefined);
        cache.set(stack, next);
    }
    return cache.get(stack)!;
}
