/**
 * The frame of a full-screen Ink program (the wizard, the browser): exactly
 * as tall and wide as the window, re-laid out when the window is resized.
 *
 * Why exactly the window's height: Ink redraws by moving the cursor up over
 * its last frame and erasing it. A frame taller than the window has scrolled
 * its top away, so that erase misses rows (a second header after shrinking);
 * and Ink does not re-render the React tree on resize, so sizes read once
 * stayed stale (rows left over after growing). A frame of the window's height
 * is what Ink treats as full-screen: it clears the whole screen before each
 * such frame. The body between header and footer takes what is left and is
 * clipped, so the footer's keys stay on the last row at any size.
 */
import { Box, Text, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';

export interface ScreenSize {
  readonly columns: number;
  readonly rows: number;
}

/** The window's size, updated on every resize. */
export function useScreenSize(): ScreenSize {
  const { stdout } = useStdout();
  const read = (): ScreenSize => ({ columns: stdout?.columns || 80, rows: stdout?.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (!stdout) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    // A resize between the first render and this effect would otherwise be missed.
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export function FullScreen({ size, header, footer, children }: { size: ScreenSize; header: ReactNode; footer: ReactNode; children: ReactNode }) {
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows} overflow="hidden">
      <Box flexShrink={0} flexDirection="column">
        {header}
      </Box>
      <Box flexGrow={1} flexShrink={1} flexDirection="column" overflow="hidden">
        {children}
      </Box>
      <Box flexShrink={0} flexDirection="column">
        {footer}
      </Box>
    </Box>
  );
}

/**
 * A footer line of keys: `keys` is cut when the window is narrow, `always`
 * (help and quit) never is.
 */
export function KeysLine({ keys, always }: { keys: string; always?: string }) {
  return (
    <Box flexDirection="row">
      <Box flexShrink={1} flexGrow={0}>
        <Text dimColor wrap="truncate-end">
          {keys}
        </Text>
      </Box>
      {always ? (
        <Box flexShrink={0}>
          <Text dimColor>{keys ? ` · ${always}` : always}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
