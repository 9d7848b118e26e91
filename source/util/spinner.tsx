/**
 * Progress for work whose length is unknown (loading, re-planning, writing,
 * applying): a turning mark and the seconds elapsed since it appeared, so
 * a slow step is visibly alive and the user can tell how long it has taken.
 */
import { Text } from 'ink';
import { useEffect, useState } from 'react';
import { SPINNER_FRAMES, elapsedText } from './elapsed.js';

export { SPINNER_FRAMES, elapsedText };

const TICK_MS = 120;

export function Spinner({ label, color = 'cyan' }: { label: string; color?: string }) {
  const [started] = useState(() => Date.now());
  const [now, setNow] = useState(started);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const frame = SPINNER_FRAMES[Math.floor((now - started) / TICK_MS) % SPINNER_FRAMES.length];
  return (
    <Text color={color}>
      {`${frame} ${label} `}
      <Text dimColor>{elapsedText(now - started)}</Text>
    </Text>
  );
}
