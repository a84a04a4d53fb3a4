"""``PromptKernelClient``: the client papermill opens on a worker's kernel for each report, ready without idling.

papermill (through nbclient) opens a new client for every notebook it executes and waits until it is ready:
jupyter_client's check sends ``kernel_info``, waits for the reply and for one IOPub message (so IOPub is
connected and no output is lost), then waits until IOPub has been silent for 0.2 s. On a kernel that is already
running that last wait is pure idle time, once per report (about 25 s of a run of every area's profile). This
client does the same checks without the idle wait; IOPub messages left over from the ``kernel_info`` request are
ignored by nbclient, which only reads the messages of the cell it executes.
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.blocking.client import BlockingKernelClient


class PromptKernelClient(BlockingKernelClient):
    def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (60 if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = self.get_shell_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    self.get_iopub_msg(timeout=0.2)  # IOPub is connected: it delivered the request's status
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
