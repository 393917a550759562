/** The page's mount point; a page without one is a build mistake worth a clear message. */
export function mountPoint(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing from the page`);
  return element;
}
