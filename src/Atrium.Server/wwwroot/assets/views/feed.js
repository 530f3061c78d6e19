// The Feed page. Sub-paths (#/feed/…) arrive as params.path.
import { soonView } from './misc.js';

export function feedView() {
  return soonView({ params: { product: 'feed' } });
}
