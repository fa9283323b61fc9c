"""Personal-data consent (152-ФЗ): consent to processing and consent to publication, per person."""
