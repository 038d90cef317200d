// Namespace ids as GET /pod reports them, for the judges' tests: a container's
// seven, and a Pod's two containers.
export const ns = (net: number, ipc: number, uts: number, pid: number, mnt: number) => ({
  net: `net:[${net}]`,
  ipc: `ipc:[${ipc}]`,
  uts: `uts:[${uts}]`,
  pid: `pid:[${pid}]`,
  mnt: `mnt:[${mnt}]`,
  // The node's, as on this project's cgroup-v1 kind node.
  cgroup: 'cgroup:[4026531835]',
  user: 'user:[4026531837]',
  time: 'time:[4026531834]',
});
export const pod = (app: ReturnType<typeof ns>, sidecar: ReturnType<typeof ns>) => ({
  app: { namespaces: app },
  sidecar: { namespaces: sidecar },
});
