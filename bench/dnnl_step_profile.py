"""oneDNN time by primitive kind and propagation in a DNNL_VERBOSE=1 log of `model-bench network`, weight reorders
(first dimension not the batch) apart from activation reorders: the size of the "master weights in the primitives'
layouts" lever next to the rest. Every exec line counts (warm-up, the timed steps, and the batch-1 inference).

Usage: OMP_WAIT_POLICY=PASSIVE DNNL_VERBOSE=1 model-bench network BASE 300 BATCH N > LOG 2>&1
       python3 bench/dnnl_step_profile.py LOG BATCH
"""
import collections
import sys

batch=sys.argv[2]
agg=collections.defaultdict(float); n=collections.Counter()
for l in open(sys.argv[1]):
    if not l.startswith('onednn_verbose,exec'): continue
    f=l.strip().split(',')
    kind=f[3]
    if kind=='reorder':
        kind='reorder weights' if f[-2].split('x')[0]!=batch else 'reorder activations'
    else:
        kind=kind+' '+f[5]
    agg[kind]+=float(f[-1]); n[kind]+=1
tot=sum(agg.values())
for k,v in sorted(agg.items(),key=lambda x:-x[1]): print('%-45s n=%5d %9.1f ms %5.1f%%'%(k,n[k],v,100*v/tot))
