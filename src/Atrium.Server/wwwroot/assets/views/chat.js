// The Chat page. Sub-paths (#/chat/…) arrive as params.path.
import { soonView } from './misc.js';

export function chatView() {
  return soonView({ params: { product: 'chat' } });
}
