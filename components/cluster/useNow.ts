'use client';

import { useEffect, useState } from 'react';

/** The current time, re-read every `everyMs`, so ages on screen keep counting when no data arrives. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
