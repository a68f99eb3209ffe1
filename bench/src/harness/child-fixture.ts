// A worker for the harness's own test: allocates an array so the child's peak heap grows.
export async function allocate(input: { count: number }): Promise<{ sum: number }> {
  const items = Array.from({ length: input.count }, (_, i) => ({ i, label: `item-${i}` }));
  await new Promise((resolve) => setTimeout(resolve, 250));
  return { sum: items.length };
}
