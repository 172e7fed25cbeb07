"""Draws docs/images/scale-out.png: the topology docs/scale-out.md describes — what runs where, what is shared
through PostgreSQL, and what stays in each daemon's home. Run: python3 scripts/draw_scale_out.py"""
import os
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

fig, ax = plt.subplots(figsize=(12, 7.2), dpi=110)
ax.set_xlim(0, 120); ax.set_ylim(-3.5, 72); ax.axis("off")


def box(x, y, w, h, title, lines=(), face="#eef3fb", edge="#34598f", dashed=False, size=9):
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.4", fc=face, ec=edge, lw=1.4,
                                ls="--" if dashed else "-"))
    ax.text(x + 1, y + h - 1.4, title, fontsize=size + 1, fontweight="bold", va="top", color="#1d2b45")
    for i, line in enumerate(lines):
        ax.text(x + 1.2, y + h - 4.6 - i * 2.5, line, fontsize=size, va="top", color="#222")


def arrow(x0, y0, x1, y1, text="", color="#34598f", both=False):
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                arrowprops=dict(arrowstyle="<|-|>" if both else "-|>", color=color, lw=1.4))
    if text:
        ax.text((x0 + x1) / 2 + 0.8, (y0 + y1) / 2, text, fontsize=8, color=color, va="center")


ax.text(1, 70.5, "Apiary past one machine: two daemons on one PostgreSQL, a 2-instance job's gang over Open MPI",
        fontsize=12, fontweight="bold", va="top")
box(2, 57, 116, 9, "Clients", ["boto3 / aws CLI / SageMaker Python SDK, the label UI in a browser — any daemon's port"],
    face="#f6f6f6", edge="#777")
for i, (x, name) in enumerate([(2, "host 1: ctl serve --database postgresql://… (daemon A)"),
                               (62, "host 2: ctl serve --database postgresql://… (daemon B)")]):
    box(x, 17, 56, 36, name, [], face="#fbfbf4", edge="#8a7a2c")
    box(x + 2, 38, 24, 11, "API on its port", ["SageMaker, runtime, S3,", "Logs, Lambda, API Gateway"], size=8)
    box(x + 29, 38, 24, 11, "TrainingQueue workers", ["claim / heartbeat / complete", "through PostgresJobQueue"], size=8)
    # The gang's two slots face each other: host 1's on the right, host 2's on the left.
    home, slot = (x + 2, x + 29) if i == 0 else (x + 29, x + 2)
    box(home, 20, 24, 14, "its own home", ["s3/ (object store)", "jobs/ (checkpoints)", "endpoints it deployed"],
        face="#fff4ec", edge="#b5651d", size=8)
    if i == 0:
        box(slot, 20, 24, 14, "gang leader: mpirun", ["-np 2 --hostfile (host 1, host 2)", "rank algo-1 here", "MPI_Allreduce every step:", "gradients, batch-norm sums"],
            face="#eefaf0", edge="#2f7d3a", size=8)
        arrow(x + 41, 38, x + 41, 34.6, "leads")
    else:
        box(slot, 20, 24, 14, "gang member's slot", ["its worker held, idle,", "until the job ends;", "rank algo-2 here,", "started over ssh"],
            face="#eefaf0", edge="#2f7d3a", dashed=True, size=8)
        arrow(x + 41, 38, x + 14, 34.6, "joins")
arrow(55.6, 27, 63.6, 27, color="#2f7d3a", both=True)
ax.text(59.6, 29.8, "ssh,\nMPI", fontsize=8, color="#2f7d3a", ha="center", va="center")
box(12, -0.8, 96, 14.0, "one PostgreSQL database (shared control plane and label store)",
    ["resource (every Describe document), tag, log_stream, log_event, apiary_schema_migration",
     "training_queue + lease_worker / lease_token / lease_expires_at / stop_requested  (FOR UPDATE SKIP LOCKED)",
     "gang_member: each slot of a multi-instance job's gang (worker, advertised host, its own lease)",
     "label store: dataset, image, box, labelChange, labelingJob, …  (every label write under one advisory lock)"],
    face="#eef3fb", edge="#34598f")
arrow(30, 57, 16, 49.6); arrow(90, 57, 76, 49.6)
arrow(30, 16.6, 36, 13.6, "API: resources, tags, logs, labels; workers: claims, leases", both=True)
arrow(90, 16.6, 84, 13.6, "", both=True)
ax.text(60, -1.9, "shared: everything in PostgreSQL (labels too)      not shared: each home (objects, checkpoints, endpoints)",
        fontsize=8.5, ha="center", va="top", color="#8a4b14")
out = os.path.join(os.path.dirname(__file__), "..", "docs", "images", "scale-out.png")
fig.savefig(out, bbox_inches="tight")
print(os.path.normpath(out))
