// Drag or swipe a card: right, left or up. Pointer Events with pointer capture, so mouse, touch and pen
// behave the same. The card follows the pointer and tilts; data-hint + --progress drive the colour and
// the stamp in CSS; past the threshold (or on a quick flick) the direction commits.

const SLOP = 6;             // px before a press becomes a drag (a tap on the card stays a tap)
const FLICK_SPEED = 0.65;   // px/ms: a fast short swipe counts too
const FLICK_MIN = 40;       // px
const MAX_TILT = 14;        // degrees

/**
 * @param {HTMLElement} card
 * @param {{ allowed: Set<string>, onCommit: (direction: string) => void }} options
 * @returns {() => void} detach
 */
export function swipeable(card, { allowed, onCommit }) {
  let drag = null;

  const threshold = () => Math.min(130, card.clientWidth * 0.3);

  function onDown(e) {
    if (drag || e.button !== 0 || !e.isPrimary) return;
    if (e.target.closest('a, button, input, textarea, select, summary, [data-no-drag]')) return;
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY, dx: 0, dy: 0, moving: false, samples: [[e.timeStamp, e.clientX, e.clientY]] };
    card.setPointerCapture(e.pointerId);
  }

  function onMove(e) {
    if (!drag || e.pointerId !== drag.id) return;
    drag.dx = e.clientX - drag.x;
    drag.dy = e.clientY - drag.y;
    drag.samples.push([e.timeStamp, e.clientX, e.clientY]);
    if (drag.samples.length > 6) drag.samples.shift();
    if (!drag.moving && Math.hypot(drag.dx, drag.dy) < SLOP) return;
    if (!drag.moving) {
      drag.moving = true;
      card.classList.add('dragging');
      card.classList.remove('settling');
    }
    e.preventDefault();
    const { direction, progress } = intent(drag.dx, drag.dy, threshold());
    const tilt = Math.max(-MAX_TILT, Math.min(MAX_TILT, drag.dx / 18));
    card.style.transform = `translate(${drag.dx}px, ${drag.dy}px) rotate(${tilt}deg)`;
    const usable = direction && allowed.has(direction);
    card.dataset.hint = usable ? direction : direction ? 'blocked' : '';
    card.style.setProperty('--progress', usable ? Math.min(1, progress).toFixed(3) : '0');
    card.classList.toggle('armed', Boolean(usable && progress >= 1));
  }

  function onUp(e) {
    if (!drag || e.pointerId !== drag.id) return;
    const d = drag;
    drag = null;
    if (card.hasPointerCapture(e.pointerId)) card.releasePointerCapture(e.pointerId);
    card.classList.remove('dragging', 'armed');
    if (!d.moving) return;
    const { direction, progress } = intent(d.dx, d.dy, threshold());
    const flick = isFlick(d, direction);
    if (e.type === 'pointerup' && direction && allowed.has(direction) && (progress >= 1 || flick)) onCommit(direction);
    else settle(card);
  }

  card.addEventListener('pointerdown', onDown);
  card.addEventListener('pointermove', onMove);
  card.addEventListener('pointerup', onUp);
  card.addEventListener('pointercancel', onUp);
  card.addEventListener('lostpointercapture', onUp);
  return () => {
    card.removeEventListener('pointerdown', onDown);
    card.removeEventListener('pointermove', onMove);
    card.removeEventListener('pointerup', onUp);
    card.removeEventListener('pointercancel', onUp);
    card.removeEventListener('lostpointercapture', onUp);
  };
}

/** Which way the card is going and how far, as a fraction of the threshold. Down means nothing. */
export function intent(dx, dy, threshold) {
  if (Math.abs(dx) >= Math.abs(dy)) return { direction: dx > 0 ? 'right' : dx < 0 ? 'left' : null, progress: Math.abs(dx) / threshold };
  return dy < 0 ? { direction: 'up', progress: -dy / threshold } : { direction: null, progress: 0 };
}

function isFlick(d, direction) {
  if (!direction || d.samples.length < 2) return false;
  const [t0, x0, y0] = d.samples[0];
  const [t1, x1, y1] = d.samples[d.samples.length - 1];
  const dt = Math.max(1, t1 - t0);
  const along = direction === 'up' ? (y0 - y1) : direction === 'right' ? (x1 - x0) : (x0 - x1);
  const distance = direction === 'up' ? -d.dy : Math.abs(d.dx);
  return distance >= FLICK_MIN && along / dt >= FLICK_SPEED;
}

/** Springs the card back to the middle. */
export function settle(card) {
  card.classList.add('settling');
  card.style.transform = '';
  card.dataset.hint = '';
  card.style.setProperty('--progress', '0');
  card.addEventListener('transitionend', () => card.classList.remove('settling'), { once: true });
}

/** Sends the card off the screen in a direction; resolves when it is gone. */
export function flyOut(card, direction) {
  const width = window.innerWidth;
  const height = window.innerHeight;
  const current = new DOMMatrixReadOnly(getComputedStyle(card).transform === 'none' ? undefined : getComputedStyle(card).transform);
  const target = {
    right: `translate(${width * 1.1}px, ${current.f + 40}px) rotate(${MAX_TILT + 10}deg)`,
    left: `translate(${-width * 1.1}px, ${current.f + 40}px) rotate(${-MAX_TILT - 10}deg)`,
    up: `translate(${current.e}px, ${-height}px) rotate(0deg)`,
  }[direction];
  card.dataset.hint = direction;
  card.style.setProperty('--progress', '1');
  card.classList.add('flying');
  return new Promise(resolve => {
    const done = () => { clearTimeout(fallback); resolve(); };
    const fallback = setTimeout(done, 450);
    requestAnimationFrame(() => {
      card.style.transform = target;
      card.addEventListener('transitionend', done, { once: true });
    });
  });
}
