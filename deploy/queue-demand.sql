-- The work that wants a worker: steps claimable now (ready, or retrying with their pause
-- over) plus the steps being run, of executions still queued or running. Times are
-- milliseconds since the epoch, as the store keeps them (src/store/migrations.cpp).
-- Counting running steps keeps the wanted size from dropping below the busy workers while
-- the last steps of a batch run. KEDA runs it (kubernetes/autoscaling.yaml holds a copy;
-- deploy/check compares them).
SELECT COUNT(*)
FROM steps s
JOIN executions e ON e.id = s.execution_id
WHERE e.state IN ('queued', 'running')
  AND (s.state IN ('ready', 'running')
       OR (s.state = 'retrying'
           AND s.not_before <= (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint))
