//! The one handle type for background work the apps start (live lists, timelines, status):
//! dropping it, or `cancel`, stops the work.

use std::future::Future;

#[derive(Debug)]
pub struct TaskHandle {
    task: tokio::task::JoinHandle<()>,
}

impl TaskHandle {
    /// Spawns `f` on the current Tokio runtime.
    pub fn spawn(f: impl Future<Output = ()> + Send + 'static) -> TaskHandle {
        TaskHandle { task: tokio::spawn(f) }
    }

    /// Wraps a task already spawned elsewhere.
    pub fn from_join(task: tokio::task::JoinHandle<()>) -> TaskHandle {
        TaskHandle { task }
    }

    /// Stops the work now.
    pub fn cancel(&self) {
        self.task.abort();
    }
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}
